using Catwalk.Core.Analysis.Sources;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Analysis;

/// <summary>server.json, package.json, pyproject.toml, smithery.yaml, .env.example and manifest.json, on real files.</summary>
public sealed class ManifestParserTests
{
    [Fact]
    public void Server_json_with_snake_case_keys_gives_the_npm_package_and_its_variables()
    {
        var findings = ServerJsonParser.Parse("server.json", Samples.Read("kubernetes.server.json"));

        findings.Packages.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Name = "mcp-server-kubernetes",
            Runtime = PackageRuntime.Npm,
            Version = "2.9.4",
            Kind = EvidenceKind.Registry,
        });
        findings.EnvVars.Select(e => e.Name).Should().Contain(["KUBECONFIG_YAML", "ALLOWED_TOOLS", "MASK_SECRETS"]);
        findings.EnvVars.Should().OnlyContain(e => e.Required == false);
        findings.EnvVars.Single(e => e.Name == "KUBECONFIG_PATH").Description.Should().StartWith("Specify kubeconfig file path");
    }

    [Fact]
    public void Server_json_says_which_variables_are_required_and_secret()
    {
        var findings = ServerJsonParser.Parse("server.json", Samples.Read("elevenlabs.server.json"));

        findings.Packages.Should().ContainSingle().Which.Runtime.Should().Be(PackageRuntime.Pypi);
        var key = findings.EnvVars.Single(e => e.Name == "ELEVENLABS_API_KEY");
        key.Required.Should().BeTrue();
        key.Secret.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "ELEVENLABS_MCP_OUTPUT_MODE").Secret.Should().BeFalse();
    }

    [Fact]
    public void Server_json_with_camel_case_keys_is_read_the_same_way()
    {
        var findings = ServerJsonParser.Parse("server.json", Samples.Read("arxiv.server.json"));

        findings.Packages.Should().ContainSingle().Which.Name.Should().Be("arxiv-mcp-server");
        findings.EnvVars.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "ARXIV_STORAGE_PATH", Required = (bool?)false, Secret = (bool?)false });
        findings.Description.Should().StartWith("Search arXiv papers");
    }

    [Fact]
    public void Package_json_gives_the_name_version_and_whether_it_has_an_executable()
    {
        var findings = PackageJsonParser.Parse("package.json", Samples.Read("brave.package.json"));

        findings.Packages.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Name = "@brave/brave-search-mcp-server",
            Runtime = PackageRuntime.Npm,
            HasExecutable = (bool?)true,
            IsPrivate = false,
        });
        findings.Description.Should().StartWith("MCP server for Brave Search");
    }

    [Fact]
    public void A_private_package_json_is_marked_as_never_published()
    {
        var findings = PackageJsonParser.Parse("package.json", """{ "name": "workspace-root", "private": true, "version": "0.0.0" }""");

        findings.Packages.Should().ContainSingle().Which.IsPrivate.Should().BeTrue();
    }

    [Fact]
    public void Pyproject_gives_the_project_name_and_its_scripts()
    {
        var findings = PyprojectParser.Parse("pyproject.toml", Samples.Read("kagimcp.pyproject.toml"));

        findings.Packages.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Name = "kagimcp",
            Runtime = PackageRuntime.Pypi,
            Version = "0.1.5",
            HasExecutable = (bool?)true,
        });
        findings.Description.Should().Be("Kagi MCP server");
    }

    [Fact]
    public void Smithery_maps_config_properties_to_environment_variables()
    {
        var findings = SmitheryConfigParser.Parse("smithery.yaml", Samples.Read("gmail.smithery.yaml"));

        findings.EnvVars.Select(e => e.Name).Should().Equal("GMAIL_OAUTH_PATH", "GMAIL_CREDENTIALS_PATH");
        findings.EnvVars[0].Description.Should().Be("Path to the GCP OAuth keys JSON file");
        findings.EnvVars.Should().OnlyContain(e => e.Required == true);
    }

    [Fact]
    public void Smithery_password_format_marks_a_secret_and_string_conversions_still_map()
    {
        var findings = SmitheryConfigParser.Parse("smithery.yaml", Samples.Read("atlassian.smithery.yaml"));

        findings.EnvVars.Single(e => e.Name == "JIRA_API_TOKEN").Secret.Should().BeTrue();
        findings.EnvVars.Single(e => e.Name == "JIRA_URL").Secret.Should().BeNull();
        findings.EnvVars.Single(e => e.Name == "READ_ONLY_MODE").Default.Should().Be("false");
        findings.EnvVars.Should().HaveCount(13);
    }

    [Fact]
    public void Smithery_config_passed_as_arguments_gives_no_environment_variables()
    {
        SmitheryConfigParser.Parse("smithery.yaml", Samples.Read("mongo.smithery.yaml")).EnvVars.Should().BeEmpty();
    }

    [Fact]
    public void Env_example_gives_descriptions_from_comments_and_real_defaults_only()
    {
        var findings = EnvFileParser.Parse(".env.example", Samples.Read("elevenlabs.env.example"));

        findings.EnvVars.Select(e => e.Name).Should().Equal("ELEVENLABS_API_KEY", "ELEVENLABS_MCP_BASE_PATH", "ELEVENLABS_API_RESIDENCY", "ELEVENLABS_MCP_OUTPUT_MODE");
        findings.EnvVars[0].Default.Should().BeNull("PUT_YOUR_KEY_HERE is a placeholder");
        findings.EnvVars[2].Should().BeEquivalentTo(new { Default = "us", Description = "optional data residency location" });
    }

    [Fact]
    public void Env_example_leaves_out_variables_its_comments_say_are_only_for_examples()
    {
        var findings = EnvFileParser.Parse(".env.example", Samples.Read("apify.env.example"));

        findings.EnvVars.Select(e => e.Name).Should().Equal("APIFY_TOKEN");
    }

    [Fact]
    public void Env_example_includes_commented_out_options()
    {
        var findings = EnvFileParser.Parse("env.example", Samples.Read("exa.env.example"));

        findings.EnvVars.Select(e => e.Name).Should().Contain(["EXA_API_KEY", "ENABLED_TOOLS", "DEFAULT_SEARCH_TYPE", "MCP_MAX_DURATION_SECONDS"]);
        findings.EnvVars.Single(e => e.Name == "ENABLED_TOOLS").Description.Should().StartWith("Comma-separated tools");
    }

    [Fact]
    public void Bundle_manifest_gives_user_config_variables_with_required_and_sensitive_and_its_tools()
    {
        var findings = BundleManifestParser.Parse("manifest.json", Samples.Read("line.manifest.json"));

        findings.EnvVars.Should().HaveCount(2);
        findings.EnvVars[0].Should().BeEquivalentTo(new { Name = "CHANNEL_ACCESS_TOKEN", Required = (bool?)true, Secret = (bool?)true });
        findings.EnvVars[1].Should().BeEquivalentTo(new { Name = "DESTINATION_USER_ID", Required = (bool?)false });
        findings.ServerName.Should().Be("LINE Official Account");
        findings.Tools.Should().Contain(t => t.Name == "push_text_message" && t.Description != null);
    }

    [Fact]
    public void Bundle_manifest_leaves_out_fixed_values_such_as_pythonpath()
    {
        var findings = BundleManifestParser.Parse("manifest.json", Samples.Read("arxiv.manifest.json"));

        findings.EnvVars.Should().BeEmpty();
        findings.RuntimeHint.Should().Be(PackageRuntime.Pypi);
    }

    [Fact]
    public void A_manifest_json_that_is_not_a_bundle_contributes_nothing()
    {
        var findings = BundleManifestParser.Parse("manifest.json", """{ "name": "My PWA", "short_name": "pwa", "icons": [] }""");

        findings.ServerName.Should().BeNull();
        findings.EnvVars.Should().BeEmpty();
    }

    [Fact]
    public void Smithery_env_assigned_in_a_function_body_is_mapped_too()
    {
        const string yaml = """
            startCommand:
              type: stdio
              commandFunction: |-
                (config) => {
                  const env = { ACME_KEY: config.acmeKey };
                  if (config.baseUrl) env.ACME_BASE_URL = config.baseUrl;
                  return { command: 'acme-mcp', args: [], env };
                }
              configSchema:
                type: object
                required: [acmeKey]
                properties:
                  acmeKey: { type: string, description: Your key }
                  baseUrl: { type: string, description: Optional base URL }
            """;

        var findings = SmitheryConfigParser.Parse("smithery.yaml", yaml);

        findings.EnvVars.Select(e => e.Name).Should().Equal("ACME_KEY", "ACME_BASE_URL");
        findings.EnvVars[1].Description.Should().Be("Optional base URL");
    }
}
