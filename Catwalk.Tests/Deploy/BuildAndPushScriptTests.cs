namespace Catwalk.Tests.Deploy;

/// <summary>deploy/build-and-push.sh, run with a stub flyctl that records its argv; the .ps1 twin is checked by reading it.</summary>
public sealed class BuildAndPushScriptTests
{
    private const string Script = "deploy/build-and-push.sh";

    [Fact]
    public async Task It_builds_remotely_pushes_and_prints_only_the_image_reference_on_stdout()
    {
        using var run = new ScriptRun("flyctl");

        var (exitCode, stdout, stderr) = await run.RunAsync(Script, new Dictionary<string, string> { ["FLY_MCP_APP_NAME"] = "my-catwalk-mcp" }, "v7", "--local-only");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Be("FLY_MCP_IMAGE=registry.fly.io/my-catwalk-mcp:v7\n");
        stderr.Should().Contain("fly secrets set FLY_MCP_IMAGE=registry.fly.io/my-catwalk-mcp:v7");
        var deploy = RepositoryFiles.PathOf("deploy");
        run.ArgvOf("flyctl").Should().Equal("deploy", deploy, "--config", Path.Combine(deploy, "mcp-image.fly.toml"), "--app", "my-catwalk-mcp",
            "--build-only", "--push", "--image-label", "v7", "--local-only");
    }

    [Fact]
    public async Task Without_a_tag_it_makes_a_timestamped_one()
    {
        using var run = new ScriptRun("flyctl");

        var (exitCode, stdout, stderr) = await run.RunAsync(Script, new Dictionary<string, string> { ["FLY_MCP_APP_NAME"] = "my-catwalk-mcp" });

        exitCode.Should().Be(0, stderr);
        stdout.Should().MatchRegex(@"^FLY_MCP_IMAGE=registry\.fly\.io/my-catwalk-mcp:mcp-\d{14}\n$");
    }

    [Theory]
    [InlineData(null, "set FLY_MCP_APP_NAME")]
    [InlineData("My App", "is not a Fly app name")]
    [InlineData("app;id", "is not a Fly app name")]
    public async Task A_missing_or_invalid_app_name_stops_before_flyctl(string? app, string message)
    {
        using var run = new ScriptRun("flyctl");
        var env = app is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["FLY_MCP_APP_NAME"] = app };

        var (exitCode, stdout, stderr) = await run.RunAsync(Script, env);

        exitCode.Should().Be(64);
        stderr.Should().Contain(message);
        stdout.Should().BeEmpty();
        run.ArgvOf("flyctl").Should().BeNull();
    }

    [Fact]
    public async Task An_invalid_tag_stops_before_flyctl()
    {
        using var run = new ScriptRun("flyctl");

        var (exitCode, _, stderr) = await run.RunAsync(Script, new Dictionary<string, string> { ["FLY_MCP_APP_NAME"] = "a" }, "v1;id");

        exitCode.Should().Be(64);
        stderr.Should().Contain("not a valid image tag");
        run.ArgvOf("flyctl").Should().BeNull();
    }

    [Fact]
    public void The_powershell_twin_runs_the_same_flyctl_command_and_prints_the_same_line()
    {
        var script = RepositoryFiles.Read("deploy/build-and-push.ps1");

        script.Should().Contain("deploy $here").And.Contain("'mcp-image.fly.toml'").And.Contain("--build-only").And.Contain("--push")
            .And.Contain("--image-label $Tag").And.Contain("--app $app");
        script.Should().Contain("Write-Output \"FLY_MCP_IMAGE=$image\"").And.Contain("$image = \"registry.fly.io/${app}:${Tag}\"");
        script.Should().Contain("'^[a-z0-9][a-z0-9-]{0,62}$'", "the same app-name check as the shell script");
    }
}
