using Catwalk.Core.Analysis.Sources;

namespace Catwalk.Tests.Analysis;

public sealed class SourceCodeScannerTests
{
    private static SourceFindings Scan(string sample, string path) => SourceCodeScanner.Scan(path, Samples.Read(sample));

    [Fact]
    public void A_variable_the_server_exits_without_is_required()
    {
        var findings = Scan("todoist.index.ts.txt", "src/index.ts");

        findings.EnvVars.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "TODOIST_API_TOKEN", Required = (bool?)true });
    }

    [Fact]
    public void Tool_definitions_with_an_input_schema_are_found()
    {
        var findings = Scan("todoist.index.ts.txt", "src/index.ts");

        findings.Tools.Select(t => t.Name).Should().Contain(["todoist_create_task", "todoist_get_tasks"]);
        findings.Tools.Single(t => t.Name == "todoist_get_tasks").Description.Should().Be("Get a list of tasks from Todoist with various filters");
    }

    [Fact]
    public void Destructured_variables_checked_together_are_alternatives()
    {
        var findings = Scan("contentful.client.ts.txt", "src/config/client.ts");

        findings.EnvVars.Select(e => e.Name).Should().Contain(["CONTENTFUL_MANAGEMENT_ACCESS_TOKEN", "PRIVATE_KEY", "SPACE_ID"]);
        findings.EnvVars.Single(e => e.Name == "PRIVATE_KEY").HasAlternative.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "CONTENTFUL_MANAGEMENT_ACCESS_TOKEN").Required.Should().NotBe(true);
    }

    [Fact]
    public void Python_getenv_defaults_are_read_and_a_raised_error_makes_a_variable_required()
    {
        var findings = Scan("elevenlabs.server.py.txt", "elevenlabs_mcp/server.py");

        findings.EnvVars.Single(e => e.Name == "ELEVENLABS_API_KEY").Required.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "ELEVENLABS_MCP_OUTPUT_MODE").Default.Should().Be("files");
        findings.EnvVars.Single(e => e.Name == "ELEVENLABS_DEFAULT_VOICE_ID").Required.Should().BeFalse("it has a default");
    }

    [Fact]
    public void Names_listed_just_above_a_read_by_variable_are_read()
    {
        var findings = Scan("blender.telemetry.py.txt", "src/blender_mcp/telemetry.py");

        findings.EnvVars.Select(e => e.Name).Should().Contain(["DISABLE_TELEMETRY", "BLENDER_MCP_DISABLE_TELEMETRY", "MCP_DISABLE_TELEMETRY"]);
    }

    [Fact]
    public void A_check_inside_a_mode_branch_does_not_make_a_variable_required()
    {
        var findings = Scan("chroma.server.py.txt", "src/chroma_mcp/server.py");

        findings.EnvVars.Should().HaveCountGreaterThan(8);
        findings.EnvVars.Should().OnlyContain(e => e.Required != true, "tenant, host and key are needed only by one client type each");
    }

    [Fact]
    public void An_error_naming_the_matching_command_line_flag_makes_the_variable_required()
    {
        var findings = Scan("brave.config.ts.txt", "src/config.ts");

        findings.EnvVars.Single(e => e.Name == "BRAVE_API_KEY").Required.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "BRAVE_MCP_PORT").Default.Should().Be("8080");
    }

    [Fact]
    public void Pydantic_settings_fields_are_variables_but_computed_ones_are_not()
    {
        var findings = Scan("arxiv.config.py.txt", "src/arxiv_mcp_server/config.py");

        findings.EnvVars.Select(e => e.Name).Should().Contain(["MAX_RESULTS", "REQUEST_TIMEOUT", "SEMANTIC_SCHOLAR_API_KEY"]).And.NotContain("APP_VERSION");
        findings.EnvVars.Single(e => e.Name == "MAX_RESULTS").Default.Should().Be("50");
    }

    [Fact]
    public void Names_in_one_error_message_are_alternatives()
    {
        var findings = Scan("magic.index.ts.txt", "src/index.ts");

        findings.EnvVars.Where(e => e.Name is "TWENTY_FIRST_API_KEY" or "API_KEY_21ST").Should().HaveCount(2).And.OnlyContain(e => e.HasAlternative);
    }

    [Fact]
    public void A_multi_line_condition_joining_variables_with_and_makes_them_alternatives()
    {
        var findings = Scan("atlassian.jira-config.py.txt", "src/mcp_atlassian/jira/config.py");

        findings.EnvVars.Single(e => e.Name == "JIRA_URL").Should().BeEquivalentTo(new { HasAlternative = true, Required = (bool?)null });
    }

    [Fact]
    public void Python_tool_decorators_give_tool_names()
    {
        var findings = Scan("kagimcp.server.py.txt", "src/kagimcp/server.py");

        findings.Tools.Select(t => t.Name).Should().Contain(["kagi_search_fetch", "kagi_summarizer"]);
        findings.EnvVars.Single(e => e.Name == "KAGI_SUMMARIZER_ENGINE").Should().NotBeNull();
    }

    [Fact]
    public void Zod_env_schemas_and_helper_readers_are_found()
    {
        const string code = """
            import { z } from "zod";
            const Env = z.object({
              ACME_API_KEY: z.string().min(1),
              ACME_REGION: z.string().default("eu"),
            });
            export const env = Env.parse(process.env);
            const timeout = getEnvNumber("ACME_TIMEOUT_MS", 5000);
            const prefixed = settingsFromEnv("ACME");
            """;

        var findings = SourceCodeScanner.Scan("src/env.ts", code);

        findings.EnvVars.Select(e => e.Name).Should().BeEquivalentTo(["ACME_API_KEY", "ACME_REGION", "ACME_TIMEOUT_MS"]);
        findings.EnvVars.Single(e => e.Name == "ACME_API_KEY").Required.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "ACME_TIMEOUT_MS").Default.Should().Be("5000");
    }

    [Fact]
    public void Variables_read_only_in_the_http_transport_branch_are_marked_transport_only()
    {
        const string code = """
            export async function start() {
              const baseUrl = process.env.ACME_BASE_URL ?? undefined;
              if (transport === "stdio") {
                await connectStdio(baseUrl);
              } else if (transport === "http") {
                const token = process.env.ACME_HTTP_AUTH_TOKEN || randomToken();
                listen(token);
              }
            }
            """;

        var findings = SourceCodeScanner.Scan("src/start.ts", code);

        findings.EnvVars.Where(e => !e.TransportOnly).Select(e => e.Name).Should().Equal("ACME_BASE_URL");
        findings.EnvVars.Where(e => e.TransportOnly).Select(e => e.Name).Should().Equal("ACME_HTTP_AUTH_TOKEN");
    }
}
