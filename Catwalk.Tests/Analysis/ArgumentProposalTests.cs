using Catwalk.Core.Analysis;

namespace Catwalk.Tests.Analysis;

/// <summary>Server arguments the analysis proposes, each with the file it came from.</summary>
public sealed class ArgumentProposalTests : IAsyncLifetime
{
    private readonly TestRepositories _repositories = new();
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories
            .Add("acme/stdio-flag", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "@acme/stdio-flag", "bin": { "stdio-flag": "index.js" } }""",
                ["server.json"] = """
                    { "name": "io.github.acme/stdio-flag", "version": "1.0.0",
                      "packages": [{ "registryType": "npm", "identifier": "@acme/stdio-flag", "version": "1.0.0",
                        "transport": { "type": "stdio" },
                        "runtimeArguments": [{ "type": "named", "name": "--node-options", "value": "--max-old-space-size=512" }],
                        "packageArguments": [
                          { "type": "named", "name": "--stdio" },
                          { "type": "named", "name": "--read-only", "isRequired": false },
                          { "type": "named", "name": "--api-key", "value": "{api_key}", "isRequired": true, "isSecret": true },
                          { "type": "positional", "valueHint": "workspace", "isRequired": true }
                        ] }] }
                    """,
                ["README.md"] = "# Stdio flag\n\nRun `npx -y @acme/stdio-flag --port 3000` to serve HTTP.\n",
            })
            .Add("acme/readme-args", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "readme-args-mcp", "bin": "index.js" }""",
                ["README.md"] = """
                    # Readme args

                    ```bash
                    npx -y readme-args-mcp --transport http --port 8080
                    ```

                    ```json
                    { "mcpServers": { "x": { "command": "npx", "args": ["-y", "readme-args-mcp", "--stdio", "--token", "YOUR_TOKEN", "/path/to/dir"] } } }
                    ```
                    """,
            })
            .Add("acme/smithery-args", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "smithery-args-mcp", "bin": "dist/index.js" }""",
                ["smithery.yaml"] = """
                    startCommand:
                      type: stdio
                      configSchema:
                        type: object
                        required: [apiKey]
                        properties:
                          apiKey: { type: string }
                      commandFunction: |-
                        (config) => ({ command: 'node', args: ['dist/index.js', '--stdio', '--api-key', config.apiKey] })
                    """,
            });
        _host = await AnalyzerHost.StartAsync(_repositories.Root);
        _host.Registries.AddNpm("@acme/stdio-flag", "1.0.0", "stdio-flag");
        _host.Registries.AddNpm("readme-args-mcp", "1.0.0", "readme-args-mcp");
        _host.Registries.AddNpm("smithery-args-mcp", "1.0.0", "smithery-args-mcp");
    }

    [Fact]
    public async Task Server_json_package_arguments_are_proposed_with_secrets_as_credential_references()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/stdio-flag");

        analysis.Args.Select(a => a.Value).Should().Equal("--stdio", "--api-key", "${API_KEY}", "${WORKSPACE}");
        analysis.Args.Should().OnlyContain(a => a.Source == "server.json");
        analysis.Sources.Single(s => s.Path == "server.json").Fields.Should().Contain("args");
        analysis.Warnings.Should().Contain(w => w.Contains("--node-options", StringComparison.Ordinal), "launcher options are not passed, and the user is told");
    }

    [Fact]
    public async Task A_readme_config_that_runs_the_server_over_stdio_proposes_its_arguments_and_an_http_example_does_not()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/readme-args");

        analysis.Args.Select(a => a.Value).Should().Equal("--stdio", "--token", "${TOKEN}", "/path/to/dir");
        analysis.Args.Should().OnlyContain(a => a.Source == "README.md");
    }

    [Fact]
    public async Task Smithery_command_function_arguments_after_the_script_are_proposed()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/smithery-args");

        analysis.Args.Select(a => a.Value).Should().Equal("--stdio", "--api-key", "${API_KEY}");
        analysis.Args.Should().OnlyContain(a => a.Source == "smithery.yaml");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }
}
