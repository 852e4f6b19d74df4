using Catwalk.Core.Packages;

namespace Catwalk.Tests.Deploy;

/// <summary>deploy/mcp-entrypoint.sh, run for real with a stub mcp-proxy that records the argv it was given.</summary>
public sealed class McpEntrypointTests
{
    private const string Script = "deploy/mcp-entrypoint.sh";

    /// <summary>What Catwalk sets as CATWALK_MACHINE_SECRET (the shape <see cref="Core.Machines.MachineSecret.Generate"/> makes).</summary>
    private static readonly string MachineSecret = Core.Machines.MachineSecret.Generate();

    private static readonly string[] ProxyOptions = ["--host", "::", "--port", "8080", "--server", "stream", "--"];

    private static async Task<(int ExitCode, string Error, IReadOnlyList<string>? ProxyArgv, ScriptRun Run)> RunAsync(
        string? runtime, string? package, string? version = null, Dictionary<string, string>? extra = null)
    {
        var run = new ScriptRun("mcp-proxy", "npx", "uvx");
        var env = new Dictionary<string, string> { ["CATWALK_MACHINE_SECRET"] = MachineSecret };
        foreach (var (name, value) in extra ?? [])
        {
            env[name] = value;
        }

        if (runtime is not null)
        {
            env["MCP_RUNTIME"] = runtime;
        }

        if (package is not null)
        {
            env["MCP_PACKAGE"] = package.Replace("$CANARY", run.Canary, StringComparison.Ordinal);
        }

        if (version is not null)
        {
            env["MCP_PACKAGE_VERSION"] = version.Replace("$CANARY", run.Canary, StringComparison.Ordinal);
        }

        var (exitCode, _, error) = await run.RunAsync(Script, env);
        return (exitCode, error, run.ArgvOf("mcp-proxy"), run);
    }

    [Theory]
    [InlineData("@modelcontextprotocol/server-everything", null, "@modelcontextprotocol/server-everything")]
    [InlineData("@modelcontextprotocol/server-everything", "2025.9.25", "@modelcontextprotocol/server-everything@2025.9.25")]
    [InlineData("mcp-server-kubernetes", "latest", "mcp-server-kubernetes@latest")]
    [InlineData("tavily-mcp", "0.2.1-beta.3", "tavily-mcp@0.2.1-beta.3")]
    public async Task An_npm_package_runs_under_mcp_proxy_on_port_8080_of_every_ipv6_address(string package, string? version, string spec)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", package, version);
        using var _ = run;

        exitCode.Should().Be(0, error);
        argv.Should().Equal([.. ProxyOptions, "npx", "-y", spec]);
    }

    [Theory]
    [InlineData("mcp-server-fetch", null, new[] { "uvx", "mcp-server-fetch" })]
    [InlineData("mcp-server-fetch", "2025.1.17", new[] { "uvx", "--from", "mcp-server-fetch==2025.1.17", "mcp-server-fetch" })]
    [InlineData("Mcp_Server.Time", "1.0.0rc1", new[] { "uvx", "--from", "Mcp_Server.Time==1.0.0rc1", "Mcp_Server.Time" })]
    public async Task A_pypi_package_runs_with_uvx_pinned_with_from_when_a_version_is_given(string package, string? version, string[] command)
    {
        var (exitCode, error, argv, run) = await RunAsync("pypi", package, version);
        using var _ = run;

        exitCode.Should().Be(0, error);
        argv.Should().Equal(ProxyOptions.Concat(command));
    }

    [Theory]
    [InlineData("npm", "-y")]
    [InlineData("npm", "--registry=https://evil.example")]
    [InlineData("npm", "-pkg")]
    [InlineData("npm", "@scope/-pkg")]
    [InlineData("npm", "@-scope/pkg")]
    [InlineData("npm", "~pkg")]
    [InlineData("npm", ".pkg")]
    [InlineData("npm", "pkg-")]
    [InlineData("npm", "@modelcontextprotocol/server-everything")]
    [InlineData("pypi", "-y")]
    [InlineData("pypi", "mcp-server-fetch")]
    [InlineData("pypi", "mcp_")]
    public async Task The_api_and_the_machine_image_apply_one_rule_to_package_names(string runtime, string package)
    {
        var (exitCode, _, _, run) = await RunAsync(runtime, package);
        using var _ = run;
        var apiError = PackageNameRules.ValidatePackage(runtime == "npm" ? PackageRuntime.Npm : PackageRuntime.Pypi, package);

        (exitCode == 64).Should().Be(apiError is not null, "the entrypoint refuses exactly what the API refuses ({0})", apiError ?? "accepted");
    }

    [Theory]
    [InlineData("; rm -rf /")]
    [InlineData("pkg; touch $CANARY")]
    [InlineData("$(touch $CANARY)")]
    [InlineData("`touch $CANARY`")]
    [InlineData("pkg && touch $CANARY")]
    [InlineData("pkg | touch $CANARY")]
    [InlineData("pkg\ntouch $CANARY")]
    [InlineData("a b")]
    [InlineData("--flag")]
    [InlineData("-y")]
    [InlineData("--registry=https://evil.example")]
    [InlineData("../../etc/passwd")]
    [InlineData("pkg@1.0.0")]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("Uppercase")]
    [InlineData("péché")]
    public async Task A_hostile_or_invalid_npm_package_never_reaches_a_process(string package)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", package);
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().StartWith("catwalk-mcp-entrypoint: MCP_PACKAGE");
        argv.Should().BeNull("mcp-proxy must not be started");
        File.Exists(run.Canary).Should().BeFalse("nothing in the package string may be executed");
    }

    [Theory]
    [InlineData("npm", "1.0.0; touch $CANARY")]
    [InlineData("npm", "$(touch $CANARY)")]
    [InlineData("npm", "1.0.0 --registry=https://evil.example")]
    [InlineData("npm", "1.0.0\n--registry=x")]
    [InlineData("pypi", "1.0; touch $CANARY")]
    [InlineData("pypi", ">=1.0")]
    [InlineData("pypi", "latest")]
    public async Task A_hostile_or_invalid_version_never_reaches_a_process(string runtime, string version)
    {
        var (exitCode, error, argv, run) = await RunAsync(runtime, runtime == "npm" ? "tavily-mcp" : "mcp-server-fetch", version);
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain("MCP_PACKAGE_VERSION");
        argv.Should().BeNull();
        File.Exists(run.Canary).Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("docker")]
    [InlineData("npm; touch $CANARY")]
    public async Task An_unknown_runtime_is_refused(string? runtime)
    {
        var (exitCode, error, argv, run) = await RunAsync(runtime?.Replace("$CANARY", "/tmp/x", StringComparison.Ordinal), "tavily-mcp");
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain("MCP_RUNTIME must be 'npm' or 'pypi'");
        argv.Should().BeNull();
    }

    [Fact]
    public async Task The_server_gets_the_machine_environment_including_credentials_and_its_own_locale()
    {
        var (exitCode, error, _, run) = await RunAsync("npm", "tavily-mcp", extra: new()
        {
            ["TAVILY_API_KEY"] = "tvly-secret value; $(not run)",
            ["LC_ALL"] = "C.UTF-8",
        });
        using var _ = run;

        exitCode.Should().Be(0, error);
        var env = run.EnvironmentOf("mcp-proxy");
        env["TAVILY_API_KEY"].Should().Be("tvly-secret value; $(not run)");
        env["LC_ALL"].Should().Be("C.UTF-8", "the validation's C locale is local to it");
        env["MCP_PACKAGE"].Should().Be("tavily-mcp");
    }

    public static TheoryData<string, string> NameCorpus() => new()
    {
        { "npm", "@scope/name" }, { "npm", "name.with.dots" }, { "npm", "~tilde" }, { "npm", "_underscore" }, { "npm", ".dot" },
        { "npm", "UPPER" }, { "npm", "@scope/" }, { "npm", "@/name" }, { "npm", "a/b" }, { "npm", new string('a', 214) },
        { "npm", new string('a', 215) }, { "npm", "name!" }, { "npm", "name\t" }, { "npm", "-dash" },
        { "pypi", "requests" }, { "pypi", "Django" }, { "pypi", "zope.interface" }, { "pypi", "a" }, { "pypi", "a-" }, { "pypi", "-a" },
        { "pypi", "a_b-c.d" }, { "pypi", "a b" }, { "pypi", "a;b" }, { "pypi", new string('a', 128) }, { "pypi", new string('a', 129) },
        { "pypi", "@scope/name" },
    };

    [Theory]
    [MemberData(nameof(NameCorpus))]
    public async Task The_entrypoint_accepts_exactly_the_names_catwalk_accepts(string runtime, string package)
    {
        var kind = runtime == "npm" ? PackageRuntime.Npm : PackageRuntime.Pypi;
        var catwalkAccepts = PackageNameRules.ValidatePackage(kind, package) is null && !package.StartsWith('-');

        var (exitCode, _, _, run) = await RunAsync(runtime, package);
        using var _ = run;

        (exitCode == 0).Should().Be(catwalkAccepts, $"Catwalk {(catwalkAccepts ? "accepts" : "refuses")} '{package}'");
    }

    public static TheoryData<string, string> VersionCorpus() => new()
    {
        { "npm", "1.2.3" }, { "npm", "latest" }, { "npm", "1.0.0-rc.1+build.5" }, { "npm", "next_2" }, { "npm", "^1.0.0" },
        { "npm", "~1.0" }, { "npm", ">=1" }, { "npm", "1.0 " }, { "npm", "-1" }, { "npm", new string('1', 65) },
        { "pypi", "1.0" }, { "pypi", "2.0.0rc1" }, { "pypi", "1.0.POST2" }, { "pypi", "1!2.0" }, { "pypi", "v1.0" }, { "pypi", "1.0.dev3" },
        { "pypi", "1.0+local.7" }, { "pypi", "1.0-alpha" }, { "pypi", "1.0a" }, { "pypi", "1..0" }, { "pypi", "one" }, { "pypi", "1.0; x" },
        { "pypi", "1.0+" }, { "pypi", "RC1" },
    };

    [Theory]
    [MemberData(nameof(VersionCorpus))]
    public async Task The_entrypoint_accepts_exactly_the_versions_catwalk_accepts(string runtime, string version)
    {
        var kind = runtime == "npm" ? PackageRuntime.Npm : PackageRuntime.Pypi;
        var catwalkAccepts = PackageNameRules.ValidateVersion(kind, version) is null;

        var (exitCode, _, _, run) = await RunAsync(runtime, runtime == "npm" ? "tavily-mcp" : "mcp-server-fetch", version);
        using var _ = run;

        (exitCode == 0).Should().Be(catwalkAccepts, $"Catwalk {(catwalkAccepts ? "accepts" : "refuses")} version '{version}'");
    }

    [Fact]
    public async Task Server_arguments_follow_the_package_one_argv_entry_each_with_credentials_filled_in()
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp", extra: new()
        {
            ["MCP_ARGS"] = """["--stdio", "--api-key=${TAVILY_API_KEY}", "a b; touch $CANARY", "$(touch $CANARY)", "ünï"]""",
            ["TAVILY_API_KEY"] = "tvly secret; `touch x`",
        });
        using var _ = run;

        exitCode.Should().Be(0, error);
        argv.Should().Equal([.. ProxyOptions, "npx", "-y", "tavily-mcp",
            "--stdio", "--api-key=tvly secret; `touch x`", "a b; touch $CANARY", "$(touch $CANARY)", "ünï"]);
        File.Exists(run.Canary).Should().BeFalse();

        var (pypiExit, pypiError, pypiArgv, pypiRun) = await RunAsync("pypi", "mcp-server-fetch", "1.0", new() { ["MCP_ARGS"] = """["stdio"]""" });
        using var __ = pypiRun;
        pypiExit.Should().Be(0, pypiError);
        pypiArgv.Should().EndWith(["uvx", "--from", "mcp-server-fetch==1.0", "mcp-server-fetch", "stdio"]);
    }

    [Theory]
    [InlineData("""{"a": 1}""", "is not a JSON array of strings")]
    [InlineData("""["ok", 1]""", "is not a JSON array of strings")]
    [InlineData("not json $(touch /tmp/never)", "is not a JSON array of strings")]
    [InlineData("""["a\nb"]""", "NUL or line break")]
    [InlineData("""["${UNSET_CREDENTIAL}"]""", "references ${UNSET_CREDENTIAL}")]
    public async Task Bad_server_arguments_never_reach_a_process(string json, string message)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp", extra: new() { ["MCP_ARGS"] = json });
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain(message);
        argv.Should().BeNull();
    }

    [Fact]
    public async Task The_entrypoint_refuses_more_arguments_than_catwalk_accepts()
    {
        var tooMany = System.Text.Json.JsonSerializer.Serialize(Enumerable.Repeat("x", ServerArgumentRules.MaxCount + 1));
        var enough = System.Text.Json.JsonSerializer.Serialize(Enumerable.Repeat("x", ServerArgumentRules.MaxCount));

        var (refused, _, _, refusedRun) = await RunAsync("npm", "tavily-mcp", extra: new() { ["MCP_ARGS"] = tooMany });
        using var __ = refusedRun;
        refused.Should().Be(64);
        var (exitCode, error, _, run) = await RunAsync("npm", "tavily-mcp", extra: new() { ["MCP_ARGS"] = enough });
        using var _ = run;
        exitCode.Should().Be(0, error);
    }

    [Fact]
    public void The_script_never_evaluates_or_reparses_the_package()
    {
        var lines = RepositoryFiles.Read(Script).Split('\n').Where(l => !l.TrimStart().StartsWith('#')).ToList();

        lines.Should().NotContain(l => l.Contains("eval", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains("sh -c", StringComparison.Ordinal) || l.Contains("bash -c", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains("$package", StringComparison.Ordinal) && !l.Contains('"', StringComparison.Ordinal),
            "every expansion of the package is quoted");
        lines.Should().ContainSingle(l => l.TrimStart().StartsWith("exec ", StringComparison.Ordinal))
            .Which.Should().Contain("mcp-proxy").And.EndWith("-- \"$@\"");
    }

    [Fact]
    public async Task The_proxy_gets_the_machine_secret_as_its_api_key_in_its_environment_never_in_its_argv()
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp");
        using var _ = run;

        exitCode.Should().Be(0, error);
        var env = run.EnvironmentOf("mcp-proxy");
        env["MCP_PROXY_API_KEY"].Should().Be(MachineSecret, "mcp-proxy reads --apiKey from MCP_PROXY_API_KEY");
        env.Should().NotContainKey("CATWALK_MACHINE_SECRET");
        argv.Should().NotContain(a => a.Contains(MachineSecret, StringComparison.Ordinal), "argv shows in ps and crash reports");
    }

    [Theory]
    [InlineData(null, "CATWALK_MACHINE_SECRET is not set")]
    [InlineData("short", "is not a Catwalk machine secret")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789; touch $CANARY", "is not a Catwalk machine secret")]
    public async Task Without_a_valid_machine_secret_the_machine_does_not_start(string? secret, string message)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp", extra: new() { ["CATWALK_MACHINE_SECRET"] = secret ?? "" });
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain(message);
        argv.Should().BeNull("an open /mcp must never run");
    }

    [Theory]
    [InlineData("MCP_PROXY_SHELL", "true")]
    [InlineData("MCP_PROXY_TUNNEL", "true")]
    [InlineData("MCP_PROXY_API_KEY", "chosen-by-a-credential")]
    public async Task A_credential_named_like_a_proxy_option_is_refused(string name, string value)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp", extra: new() { [name] = value });
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain($"{name} is set: MCP_PROXY_* variables are reserved");
        argv.Should().BeNull();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80; touch $CANARY")]
    public async Task A_bad_port_is_refused(string port)
    {
        var (exitCode, error, argv, run) = await RunAsync("npm", "tavily-mcp", extra: new() { ["MCP_PORT"] = port });
        using var _ = run;

        exitCode.Should().Be(64);
        error.Should().Contain("MCP_PORT must be a TCP port number");
        argv.Should().BeNull();
    }
}
