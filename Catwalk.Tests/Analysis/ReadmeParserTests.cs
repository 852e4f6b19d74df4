using Catwalk.Core.Analysis.Sources;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Analysis;

public sealed class ReadmeParserTests
{
    private static (SourceFindings Config, SourceFindings Prose) Parse(string sample)
    {
        var findings = ReadmeParser.Parse("README.md", Samples.Read(sample));
        return (findings[0], findings[1]);
    }

    [Fact]
    public void Client_config_blocks_give_the_npx_package_and_their_env()
    {
        var (config, _) = Parse("brave.README.md");

        config.Packages.Should().ContainSingle(p => p.Runtime == PackageRuntime.Npm).Which.Name.Should().Be("@brave/brave-search-mcp-server");
        config.EnvVars.Select(e => e.Name).Should().Contain("BRAVE_API_KEY");
    }

    [Fact]
    public void Bullet_lists_give_descriptions_and_required_markers()
    {
        var (_, prose) = Parse("brave.README.md");

        var key = prose.EnvVars.Single(e => e.Name == "BRAVE_API_KEY");
        key.Description.Should().Be("Your Brave Search API key (required)");
        key.Required.Should().BeTrue();
        prose.EnvVars.Single(e => e.Name == "BRAVE_MCP_PORT").Default.Should().Be("8080");
    }

    [Fact]
    public void A_heading_named_after_a_variable_takes_the_paragraph_below_as_its_description()
    {
        var (_, prose) = Parse("heroku.README.md");

        var key = prose.EnvVars.Single(e => e.Name == "HEROKU_API_KEY");
        key.Description.Should().StartWith("Your Heroku authorization token");
        key.Required.Should().BeTrue();
        prose.EnvVars.Single(e => e.Name == "MCP_SERVER_REQUEST_TIMEOUT").Default.Should().StartWith("15000");
    }

    [Fact]
    public void Tables_give_variables_with_their_default_column()
    {
        var (_, prose) = Parse("arxiv.README.md");

        prose.EnvVars.Single(e => e.Name == "MAX_RESULTS").Should().BeEquivalentTo(new { Default = "50", Description = "Server-side cap for result counts" });
        prose.EnvVars.Single(e => e.Name == "SEMANTIC_SCHOLAR_API_KEY").Default.Should().BeNull("'empty' means no default");
    }

    [Fact]
    public void Uvx_commands_give_the_pypi_package()
    {
        var (config, _) = Parse("arxiv.README.md");

        config.Packages.Should().Contain(p => p.Name == "arxiv-mcp-server" && p.Runtime == PackageRuntime.Pypi);
        config.Packages.Should().NotContain(p => p.Runtime == PackageRuntime.Npm, "the README warns against npx, it never runs it");
    }

    [Fact]
    public void A_two_column_table_of_variables_is_read_without_a_header_hint()
    {
        var (_, prose) = Parse("mongo.README.md");

        prose.EnvVars.Select(e => e.Name).Should().Contain(["MCP_MONGODB_URI", "MCP_MONGODB_READONLY"]);
        prose.EnvVars.Single(e => e.Name == "MCP_MONGODB_URI").Description.Should().Be("MongoDB connection URI");
    }

    [Fact]
    public void Development_and_eval_sections_are_skipped()
    {
        const string readme = """
            # My server

            ## Configuration

            Set `MY_SERVICE_TOKEN` environment variable.

            ## Development

            ```bash
            OPENAI_API_KEY=sk-test npx mcp-eval src/evals.ts
            ```
            """;

        var findings = ReadmeParser.Parse("README.md", readme);

        findings.SelectMany(f => f.EnvVars).Select(e => e.Name).Should().Equal("MY_SERVICE_TOKEN");
    }

    [Fact]
    public void Shell_lines_give_env_assignments_docker_flags_and_uvx_from_packages()
    {
        const string readme = """
            ## Install

            ```bash
            export ACME_API_KEY=your-key
            docker run -i --rm -e ACME_REGION mcp/acme
            uvx --from acme-mcp-server acme-mcp
            claude mcp add acme -e ACME_WORKSPACE=demo -- npx -y @modelcontextprotocol/inspector
            ```
            """;

        var config = ReadmeParser.Parse("README.md", readme)[0];

        config.EnvVars.Select(e => e.Name).Should().Equal("ACME_API_KEY", "ACME_REGION", "ACME_WORKSPACE");
        config.Packages.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "acme-mcp-server", Runtime = PackageRuntime.Pypi });
    }

    [Fact]
    public void Tools_sections_give_tool_names_and_descriptions()
    {
        const string readme = """
            ## Available Tools

            - **search_issues**: Search issues with a query
            - `create_issue` - Create a new issue
            - Some prose bullet that is not a tool

            ## Configuration
            - `ACME_TOKEN`: token
            """;

        var prose = ReadmeParser.Parse("README.md", readme)[1];

        prose.Tools.Select(t => t.Name).Should().Equal("search_issues", "create_issue");
        prose.Tools[0].Description.Should().Be("Search issues with a query");
    }

    [Fact]
    public void Zed_style_command_objects_and_codex_toml_are_read()
    {
        const string readme = """
            ## Zed

            ```json
            { "context_servers": { "acme": { "command": { "path": "npx", "args": ["-y", "@acme/mcp"], "env": { "ACME_TOKEN": "Bearer abc" } } } } }
            ```

            ## Codex

            ```toml
            [mcp_servers.acme]
            env = { ACME_REGION = "eu" }
            ```
            """;

        var config = ReadmeParser.Parse("README.md", readme)[0];

        config.Packages.Should().ContainSingle().Which.Name.Should().Be("@acme/mcp");
        config.EnvVars.Select(e => e.Name).Should().Equal("ACME_TOKEN", "ACME_REGION");
        config.EnvVars[0].Example.Should().Be("Bearer abc");
    }
}
