using System.Text.Json;
using Catwalk.Web.CommandLine;
using Tomlyn.Model;

namespace Catwalk.Tests.Deploy;

/// <summary>The Catwalk.Web image (deploy/web.Dockerfile), the root fly.toml and .dockerignore, checked against each other.</summary>
public sealed class WebDeploymentTests
{
    private static readonly TomlTable FlyToml = TomlFiles.Read("fly.toml");
    private static readonly IReadOnlyList<DockerfileInstruction> Web = DockerfileInstructions.Read("deploy/web.Dockerfile");
    private static readonly IReadOnlyList<DockerfileInstruction> Runtime = DockerfileInstructions.FinalStage(Web);

    private static TomlTable Table(TomlTable table, string key) => (TomlTable)table[key];

    [Fact]
    public void The_image_builds_with_the_sdk_band_of_global_json_and_runs_on_the_aspnet_runtime()
    {
        using var globalJson = JsonDocument.Parse(RepositoryFiles.Read("global.json"));
        var major = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!.Split('.')[0];

        Web[0].Arguments.Should().Be($"mcr.microsoft.com/dotnet/sdk:{major}.0 AS build");
        Runtime[0].Arguments.Should().Be($"mcr.microsoft.com/dotnet/aspnet:{major}.0 AS runtime");
        Web.Should().Contain(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish Catwalk.Web/Catwalk.Web.csproj --configuration Release", StringComparison.Ordinal));
        Runtime.Should().Contain(i => i.Keyword == "COPY" && i.Arguments == "--from=build /app ./");
    }

    [Fact]
    public void Every_file_the_build_copies_exists_and_is_not_ignored()
    {
        var ignored = RepositoryFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var sources = Web.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        sources.Should().NotBeEmpty();
        foreach (var source in sources)
        {
            (File.Exists(RepositoryFiles.PathOf(source)) || Directory.Exists(RepositoryFiles.PathOf(source))).Should().BeTrue($"{source} is copied");
            ignored.Should().NotContain(pattern => source.TrimEnd('/').Equals(pattern.TrimEnd('/'), StringComparison.Ordinal), $"{source} is needed by the build");
        }

        ignored.Should().Contain(["**/bin/", "**/obj/", ".git"], "build output and history stay out of the context");
    }

    [Fact]
    public void The_app_runs_as_a_non_root_user_on_port_8080()
    {
        Runtime.Last(i => i.Keyword == "USER").Arguments.Should().Be("$APP_UID");
        Runtime.Should().Contain(i => i.Keyword == "ENV" && i.Arguments.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
        Runtime.Should().Contain(i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
        Runtime.Single(i => i.Keyword == "CMD").ExecForm.Should().Equal("dotnet", "Catwalk.Web.dll");
    }

    [Fact]
    public void The_release_command_runs_the_migrate_verb_of_the_same_image()
    {
        var releaseCommand = (string)Table(FlyToml, "deploy")["release_command"];
        var command = Runtime.Single(i => i.Keyword == "CMD").ExecForm!;

        releaseCommand.Should().Be("dotnet Catwalk.Web.dll migrate");
        releaseCommand.Split(' ').Should().Equal(command.Append("migrate"), "Fly runs the release command in place of the image's command");
        Runtime.Should().NotContain(i => i.Keyword == "ENTRYPOINT", "an ENTRYPOINT would be prefixed to the release command");
        CommandLineVerbs.Find(["migrate"]).Should().BeOfType<MigrateVerb>();
    }

    [Fact]
    public void Fly_builds_this_dockerfile_and_checks_readiness_on_the_service_port()
    {
        File.Exists(RepositoryFiles.PathOf((string)Table(FlyToml, "build")["dockerfile"])).Should().BeTrue();
        var service = Table(FlyToml, "http_service");
        service["internal_port"].Should().Be(8080L);
        service["force_https"].Should().Be(true);
        ((string)Table(FlyToml, "env")["ASPNETCORE_HTTP_PORTS"]).Should().Be("8080");

        var check = ((TomlTableArray)service["checks"]).Should().ContainSingle().Which;
        check["method"].Should().Be("GET");
        check["path"].Should().Be("/health/ready");
        check.ContainsKey("grace_period").Should().BeTrue("the first start may wait on the database");
    }

    [Fact]
    public void Long_lived_circuits_get_connection_based_limits_and_a_machine_that_stays_up()
    {
        var service = Table(FlyToml, "http_service");
        var concurrency = Table(service, "concurrency");
        concurrency["type"].Should().Be("connections", "Blazor circuits and MCP streams hold connections open");
        ((long)concurrency["soft_limit"]).Should().BeLessThan((long)concurrency["hard_limit"]);
        service["auto_stop_machines"].Should().Be("off", "the reconciler and the live status feed run in this process");
        ((long)service["min_machines_running"]).Should().BeGreaterThanOrEqualTo(1);

        var vm = ((TomlTableArray)FlyToml["vm"]).Should().ContainSingle().Which;
        vm["memory"].Should().Be("1gb");
        ((string)FlyToml["kill_timeout"]).Should().Be("30s");
    }

    [Fact]
    public void The_app_on_fly_uses_the_fly_runtime()
    {
        Table(FlyToml, "env")["CATWALK_RUNTIME"].Should().Be("fly");
        Table(FlyToml, "env")["ASPNETCORE_ENVIRONMENT"].Should().Be("Production");
        Table(FlyToml, "env").Keys.Should().NotContain(
            ["DATABASE_URL", "ENCRYPTION_KEY", "OPENROUTER_API_KEY", "FLY_API_TOKEN"], "secrets go through `fly secrets set`, never fly.toml");
    }
}
