using Catwalk.Core.Machines.Fly;

namespace Catwalk.Tests.Deploy;

/// <summary>deploy/Dockerfile, the MCP machine image, read as Docker reads it (Docker itself is not available here).</summary>
public sealed class McpImageDockerfileTests
{
    private static readonly IReadOnlyList<DockerfileInstruction> All = DockerfileInstructions.Read("deploy/Dockerfile");
    private static readonly IReadOnlyList<DockerfileInstruction> Final = DockerfileInstructions.FinalStage(All);

    [Fact]
    public void The_image_is_node_20_with_python_and_uv()
    {
        Final[0].Arguments.Should().MatchRegex(@"^node:20(\.|-|$)");
        All.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).Should().Contain(from => from.StartsWith("ghcr.io/astral-sh/uv:", StringComparison.Ordinal));
        Final.Should().Contain(i => i.Keyword == "COPY" && i.Arguments.Contains("/uv /uvx /usr/local/bin/", StringComparison.Ordinal));
        Final.Should().Contain(i => i.Keyword == "RUN" && i.Arguments.Contains("python3", StringComparison.Ordinal));
    }

    [Fact]
    public void It_installs_the_npm_mcp_proxy_at_the_version_the_image_tests_run()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(RepositoryFiles.Read("Catwalk.Tests/McpServers/package.json"));
        var tested = manifest.RootElement.GetProperty("dependencies").GetProperty("mcp-proxy").GetString();

        Final.Should().Contain(i => i.Keyword == "ARG" && i.Arguments == "MCP_PROXY_VERSION=" + tested,
            "the image runs the mcp-proxy whose secret check McpImageProxyTests exercised");
        Final.Should().Contain(i => i.Keyword == "RUN" && i.Arguments.Contains("npm install --global", StringComparison.Ordinal) &&
                                    i.Arguments.Contains("\"mcp-proxy@${MCP_PROXY_VERSION}\"", StringComparison.Ordinal));
        Final.Should().NotContain(i => i.Arguments.Contains("uv tool install", StringComparison.Ordinal), "the Python mcp-proxy has no secret check");
    }

    [Fact]
    public void The_entrypoint_is_the_validating_script_in_exec_form_and_runs_as_a_non_root_user()
    {
        var copy = Final.Single(i => i.Keyword == "COPY" && i.Arguments.StartsWith("mcp-entrypoint.sh ", StringComparison.Ordinal));
        var installedAt = copy.Arguments.Split(' ')[1];
        File.Exists(RepositoryFiles.PathOf("deploy/mcp-entrypoint.sh")).Should().BeTrue();

        var entrypoint = Final.Single(i => i.Keyword == "ENTRYPOINT").ExecForm;
        entrypoint.Should().NotBeNull("exec form: no shell between Docker and the entrypoint");
        entrypoint![^1].Should().Be(installedAt);

        var user = Final.Last(i => i.Keyword == "USER").Arguments;
        new[] { "root", "0", "0:0" }.Should().NotContain(user);
        Final.ToList().FindLastIndex(i => i.Keyword == "USER").Should().BeLessThan(Final.ToList().FindIndex(i => i.Keyword == "ENTRYPOINT"));
        Final.Should().Contain(i => i.Keyword == "RUN" && i.Arguments.Contains($"useradd", StringComparison.Ordinal) && i.Arguments.EndsWith(" " + user, StringComparison.Ordinal));
    }

    [Fact]
    public void Port_and_health_check_match_what_catwalk_asks_of_the_machine()
    {
        Final.Should().Contain(i => i.Keyword == "EXPOSE" && i.Arguments == FlyMachineConfigs.MachinePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var healthcheck = Final.Single(i => i.Keyword == "HEALTHCHECK").Arguments;
        healthcheck.Should().Contain($"localhost:{FlyMachineConfigs.MachinePort}/{FlyMachineConfigs.HealthPath}");

        var script = RepositoryFiles.Read("deploy/mcp-entrypoint.sh").Split('\n');
        script.Should().Contain($"port=\"${{MCP_PORT:-{FlyMachineConfigs.MachinePort}}}\"");
        script.Single(l => l.StartsWith("exec ", StringComparison.Ordinal)).Should().Contain("--host \"::\"").And.Contain("--port \"$port\"");
    }

    [Fact]
    public void The_build_config_for_flyctl_points_at_this_dockerfile()
    {
        var model = TomlFiles.Read("deploy/mcp-image.fly.toml");

        var build = (Tomlyn.Model.TomlTable)model["build"];
        File.Exists(RepositoryFiles.PathOf("deploy/" + (string)build["dockerfile"])).Should().BeTrue();
        model.ContainsKey("app").Should().BeFalse("the app is given on the command line: the same image serves any MCP app");
    }
}
