using Catwalk.Core.Analysis;

namespace Catwalk.Tests.Analysis;

/// <summary>
/// Rules about how MCP servers are written, on small repositories made up for the purpose: prefixed settings,
/// transport-only variables, option→variable schemes, arguments that stand in for credentials, and the warning
/// when little is found.
/// </summary>
public sealed class AnalysisRuleTests : IAsyncLifetime
{
    private readonly TestRepositories _repositories = new();
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories
            .Add("acme/prefixed", new Dictionary<string, string>
            {
                ["pyproject.toml"] = "[project]\nname = \"acme-prefixed-mcp\"\n[project.scripts]\nacme-prefixed-mcp = \"acme.server:main\"\n",
                ["README.md"] = "# Prefixed\n\n```json\n{ \"mcpServers\": { \"a\": { \"command\": \"uvx\", \"args\": [\"acme-prefixed-mcp\"] } } }\n```\n",
                ["src/acme/settings.py"] = """
                    from pydantic_settings import BaseSettings, SettingsConfigDict
                    from pydantic import Field

                    class Settings(BaseSettings):
                        api_key: str
                        read_only: bool = False
                        region: str = Field("eu", alias="ACME_REGION_OVERRIDE")

                        model_config = SettingsConfigDict(env_prefix="ACME_")
                    """,
            })
            .Add("acme/transport", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-transport-mcp", "bin": "index.js" }""",
                ["README.md"] = """
                    # Transport

                    ## Configuration

                    | Variable | Description |
                    | --- | --- |
                    | `ACME_TOKEN` | Your Acme token (required) |
                    | `ACME_BIND_HOST` | Address the HTTP server binds |
                    | `MCP_AUTH_TOKEN` | Token clients must send |
                    | `ACME_OAUTH_RESOURCE_URL` | This server's OAuth resource URL |

                    When running in Streamable HTTP mode, set the `ACME_FILES_ROOT` environment variable.
                    Over stdio you do not need to set the `ACME_SESSION_DIR` environment variable.
                    Set `KUBERNETES_NAMESPACE` and `POD_NAME` environment variables only inside a cluster; `CLAUDE_CONFIG_DIR` is your client's.
                    """,
                ["src/index.ts"] = """
                    const token = process.env.ACME_TOKEN;
                    if (!token) {
                      console.error('ACME_TOKEN is required');
                      process.exit(1);
                    }
                    if (transport === 'http') {
                      const host = process.env.ACME_BIND_HOST ?? '127.0.0.1';
                      const auth = process.env.MCP_AUTH_TOKEN;
                    }
                    const pod = process.env.POD_NAME;
                    const editor = process.env.EDITOR;
                    """,
            })
            .Add("acme/scheme", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-scheme-mcp", "bin": "index.js" }""",
                ["README.md"] = """
                    # Scheme

                    Every command-line option can also be set as an environment variable `ACMESCHEME_<OPTION>`,
                    upper-cased with dashes as underscores.

                    | Option | Description |
                    | --- | --- |
                    | `--read-only` | Only read |
                    | `--max-results` | Results per call |
                    | `--workspace-dir` | Where files live |
                    | `--help` | Show help |
                    """,
            })
            .Add("acme/click", new Dictionary<string, string>
            {
                ["pyproject.toml"] = "[project]\nname = \"acme-click-mcp\"\n[project.scripts]\nacme-click-mcp = \"acme.cli:main\"\n",
                ["README.md"] = "# Click\n\nRun `uvx acme-click-mcp`.\n",
                ["src/acme/cli.py"] = """
                    import click

                    @click.command(context_settings={"auto_envvar_prefix": "ACMECLICK"})
                    @click.option("--database-url")
                    @click.option("--timeout", default=30)
                    def main(database_url, timeout):
                        pass
                    """,
            })
            .Add("acme/cli-alternative", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-cli-alt-mcp", "bin": "index.js" }""",
                ["server.json"] = """{ "name": "io.github.acme/cli-alt", "packages": [{ "registryType": "npm", "identifier": "acme-cli-alt-mcp", "environmentVariables": [{ "name": "ACME_SECRET_KEY", "isRequired": true, "isSecret": true }] }] }""",
                ["README.md"] = "# CLI alternative\n",
                ["src/cli.ts"] = """
                    const apiKey = options.apiKey || process.env.ACME_SECRET_KEY;
                    if (!apiKey) {
                      throw new Error('Pass --api-key or set ACME_SECRET_KEY');
                    }
                    """,
            })
            .Add("acme/little", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-little-mcp", "bin": "index.js" }""",
                ["README.md"] = "# Little\n\nConfigure it with environment variables (see the docs site). All environment variables are optional.\n",
                ["src/index.ts"] = "const settings = Object.fromEntries(KEYS.map(k => [k, process.env[`ACME_${k}`]]));\n",
            });
        _host = await AnalyzerHost.StartAsync(_repositories.Root);
        _host.Registries.AddPypi("acme-prefixed-mcp", "1.0.0");
        _host.Registries.AddPypi("acme-click-mcp", "1.0.0");
        foreach (var npm in new[] { "acme-transport-mcp", "acme-scheme-mcp", "acme-cli-alt-mcp", "acme-little-mcp" })
        {
            _host.Registries.AddNpm(npm, "1.0.0", npm);
        }
    }

    [Fact]
    public async Task A_settings_class_prefix_applies_to_every_field_even_when_set_after_them_and_an_alias_names_its_own_variable()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/prefixed");

        analysis.Env.Select(e => e.Name).Should().BeEquivalentTo("ACME_API_KEY", "ACME_READ_ONLY", "ACME_REGION_OVERRIDE");
    }

    [Fact]
    public async Task Variables_for_the_http_transport_the_platform_and_the_users_client_are_left_out()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/transport");

        analysis.Env.Select(e => e.Name).Should().Equal("ACME_TOKEN");
        analysis.Env.Single().Required.Should().BeTrue();
    }

    [Fact]
    public async Task A_documented_option_to_variable_scheme_yields_a_variable_per_option()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/scheme");

        analysis.Env.Select(e => e.Name).Should().BeEquivalentTo("ACMESCHEME_READ_ONLY", "ACMESCHEME_MAX_RESULTS", "ACMESCHEME_WORKSPACE_DIR");
        analysis.Env.Should().OnlyContain(e => !e.Required);
    }

    [Fact]
    public async Task Clicks_auto_envvar_prefix_yields_a_variable_per_option()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/click");

        analysis.Env.Select(e => e.Name).Should().BeEquivalentTo("ACMECLICK_DATABASE_URL", "ACMECLICK_TIMEOUT");
        analysis.Env.Single(e => e.Name == "ACMECLICK_DATABASE_URL").Secret.Should().BeTrue();
    }

    [Fact]
    public async Task A_credential_a_command_line_argument_can_stand_in_for_is_not_required_even_when_declared_so()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/cli-alternative");

        var key = analysis.Env.Single(e => e.Name == "ACME_SECRET_KEY");
        key.Required.Should().BeFalse();
        key.Secret.Should().BeTrue();
    }

    [Fact]
    public async Task Finding_little_in_a_repository_that_has_configuration_is_said_in_the_warnings()
    {
        var little = await _host.AnalyzeAsync("https://github.com/acme/little");
        var plenty = await _host.AnalyzeAsync("https://github.com/acme/transport");

        little.Warnings.Should().ContainSingle(w => w.StartsWith("Catwalk found no environment variables", StringComparison.Ordinal))
            .Which.Should().Contain("mentions environment variables 2 times").And.Contain("computed names");
        plenty.Warnings.Should().NotContain(w => w.StartsWith("Catwalk found", StringComparison.Ordinal), "one variable and nothing more documented for stdio");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }
}
