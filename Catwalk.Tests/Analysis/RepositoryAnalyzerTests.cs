using System.Collections.Concurrent;
using Catwalk.Core.Analysis;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Analysis;

/// <summary>The whole pipeline against the fake GitHub, registries and OpenRouter, without a cache.</summary>
public sealed class RepositoryAnalyzerTests : IAsyncLifetime
{
    private readonly TestRepositories _repositories = new();
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories
            .CopyFromCorpus("brave/brave-search-mcp-server")
            .CopyFromCorpus("elevenlabs/elevenlabs-mcp")
            .Add("acme/monorepo", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-workspace", "private": true }""",
                ["README.md"] = "# Acme servers\n\nSet `ROOT_ONLY_TOKEN` environment variable for the root tool.\n",
                ["src/weather/package.json"] = """{ "name": "@acme/weather-mcp", "version": "0.3.0", "bin": { "weather-mcp": "dist/index.js" }, "description": "Weather for agents" }""",
                ["src/weather/README.md"] = "# Weather\n\n```json\n{ \"mcpServers\": { \"weather\": { \"command\": \"npx\", \"args\": [\"-y\", \"@acme/weather-mcp\"], \"env\": { \"WEATHER_API_KEY\": \"<key>\" } } } }\n```\n",
                ["src/weather/src/index.ts"] = "const key = process.env.WEATHER_API_KEY;\nif (!key) {\n  console.error('WEATHER_API_KEY is required');\n  process.exit(1);\n}\nconst units = process.env.WEATHER_UNITS ?? 'metric';\n",
                ["src/other/package.json"] = """{ "name": "@acme/other-mcp" }""",
                ["src/other/src/index.ts"] = "const x = process.env.OTHER_SECRET;\n",
            })
            .Add("acme/unpublished", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-unpublished-mcp", "bin": "index.js" }""",
                ["README.md"] = "# Unpublished\n",
            })
            .Add("acme/renamed", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-internal-name", "bin": "index.js" }""",
                ["README.md"] = "# Renamed\n\nRun `npx -y acme-renamed-mcp`.\n",
            })
            .Add("acme/library", new Dictionary<string, string>
            {
                ["package.json"] = """{ "name": "acme-library" }""",
            })
            .Add("acme/go-server", new Dictionary<string, string>
            {
                ["README.md"] = "# A Go server\n\n`go install github.com/acme/go-server@latest`\n",
                ["main.go"] = "package main\n",
            });
        _host = await AnalyzerHost.StartAsync(_repositories.Root);
        _host.Registries.AddNpm("@brave/brave-search-mcp-server", "2.0.0");
        _host.Registries.AddPypi("elevenlabs-mcp", "0.9.1");
        _host.Registries.AddNpm("@acme/weather-mcp", "0.3.1");
        _host.Registries.AddNpm("acme-renamed-mcp", "1.2.0");
        _host.Registries.Npm["acme-library"] = ("2.0.0", []);
    }

    [Fact]
    public async Task A_corpus_repository_yields_its_package_runtime_variables_and_sources()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/brave/brave-search-mcp-server");

        analysis.Should().BeEquivalentTo(new
        {
            RepoUrl = "https://github.com/brave/brave-search-mcp-server",
            Name = "brave-search-mcp-server",
            Package = "@brave/brave-search-mcp-server",
            Runtime = PackageRuntime.Npm,
            Version = "2.0.0",
            LlmUsed = false,
        });
        analysis.Env.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "BRAVE_API_KEY", Required = true, Secret = true, Source = "README.md" });
        analysis.Env[0].Description.Should().Contain("Brave Search API key");
        analysis.Sources.Should().Contain(s => s.Path == "package.json" && s.Fields.Contains("package") && s.Fields.Contains("runtime"));
        analysis.Sources.Should().Contain(s => s.Path == "npm registry" && s.Fields.Contains("version"));
        analysis.Sources.Should().Contain(s => s.Path == "src/config.ts");
        analysis.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task Registry_metadata_decides_required_and_secret()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/elevenlabs/elevenlabs-mcp");

        analysis.Should().BeEquivalentTo(new { Package = "elevenlabs-mcp", Runtime = PackageRuntime.Pypi });
        analysis.Env[0].Should().BeEquivalentTo(new { Name = "ELEVENLABS_API_KEY", Required = true, Secret = true, Source = "server.json" });
        analysis.Env.Single(e => e.Name == "ELEVENLABS_MCP_OUTPUT_MODE").Should().BeEquivalentTo(new { Required = false, Secret = false });
        analysis.Env.Single(e => e.Name == "ELEVENLABS_DEFAULT_VOICE_ID").Source.Should().Be("elevenlabs_mcp/server.py");
    }

    [Fact]
    public async Task Progress_reports_each_stage_in_order_with_a_message()
    {
        var stages = new ConcurrentQueue<AnalysisProgress>();
        var progress = new SynchronousProgress(stages.Enqueue);

        await _host.AnalyzeAsync("https://github.com/brave/brave-search-mcp-server", progress: progress);

        stages.Select(s => s.Stage).Distinct().Should().Equal(
            AnalysisStage.ReadingRepository, AnalysisStage.ReadingManifests, AnalysisStage.CheckingPackage, AnalysisStage.Done);
        stages.Should().OnlyContain(s => !string.IsNullOrWhiteSpace(s.Message));
        stages.First(s => s.Stage == AnalysisStage.CheckingPackage).Message.Should().Be("Checking @brave/brave-search-mcp-server on npm");
    }

    [Fact]
    public async Task A_folder_of_a_monorepo_is_analysed_on_its_own()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/monorepo/tree/main/src/weather");

        analysis.Should().BeEquivalentTo(new
        {
            RepoUrl = "https://github.com/acme/monorepo/tree/main/src/weather",
            Package = "@acme/weather-mcp",
            Name = "weather-mcp",
            Description = "Weather for agents",
            Version = "0.3.1",
        });
        analysis.Env.Select(e => e.Name).Should().Equal("WEATHER_API_KEY", "WEATHER_UNITS");
        analysis.Env[0].Should().BeEquivalentTo(new { Required = true, Secret = true });
        analysis.Env[1].Should().BeEquivalentTo(new { Required = false, Default = "metric" });
        // Paths are shown relative to the folder the URL names; nothing outside it (no "../") was used.
        analysis.Sources.Should().Contain(s => s.Path == "package.json" && s.Fields.Contains("package"));
        analysis.Sources.Select(s => s.Path).Should().OnlyContain(p => p == "README.md" || p == "package.json" || p == "src/index.ts" || p == "npm registry");
    }

    [Fact]
    public async Task A_branch_name_with_a_slash_is_resolved_against_the_tree()
    {
        _host.GitHub.OtherRefs.Add("release/v1");

        var analysis = await _host.AnalyzeAsync("https://github.com/acme/monorepo/tree/release/v1/src/weather");

        analysis.Package.Should().Be("@acme/weather-mcp");
        _host.GitHub.Requests.Should().Contain(r => r.Contains("/git/trees/release/v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_folder_is_reported_as_not_found()
    {
        var act = () => _host.AnalyzeAsync("https://github.com/acme/monorepo/tree/main/src/nothing-here");

        (await act.Should().ThrowAsync<AnalysisFailedException>()).Which.Should().BeEquivalentTo(new
        {
            Kind = AnalysisFailureKind.RepositoryNotFound,
            Code = "repository_not_found",
        });
    }

    [Fact]
    public async Task A_bad_url_fails_before_any_request_and_says_what_is_accepted()
    {
        var act = () => _host.AnalyzeAsync("https://gitlab.com/acme/tools");

        var failure = (await act.Should().ThrowAsync<AnalysisFailedException>()).Which;
        failure.Kind.Should().Be(AnalysisFailureKind.InvalidUrl);
        failure.Message.Should().Contain("https://github.com/owner/repo");
        _host.GitHub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_repository_is_not_found()
    {
        var act = () => _host.AnalyzeAsync("https://github.com/acme/does-not-exist");

        (await act.Should().ThrowAsync<AnalysisFailedException>()).Which.Should().BeEquivalentTo(new
        {
            Kind = AnalysisFailureKind.RepositoryNotFound,
            Message = "The repository acme/does-not-exist was not found on GitHub (or it is private).",
        });
    }

    [Fact]
    public async Task A_github_rate_limit_is_its_own_failure()
    {
        _host.GitHub.RateLimited = true;

        var act = () => _host.AnalyzeAsync("https://github.com/brave/brave-search-mcp-server");

        (await act.Should().ThrowAsync<AnalysisFailedException>()).Which.Should().BeEquivalentTo(new { Kind = AnalysisFailureKind.RateLimited, Code = "rate_limited" });
    }

    [Fact]
    public async Task An_unreachable_github_is_an_upstream_failure()
    {
        _host.GitHub.Unavailable = true;

        var act = () => _host.AnalyzeAsync("https://github.com/brave/brave-search-mcp-server");

        (await act.Should().ThrowAsync<AnalysisFailedException>()).Which.Kind.Should().Be(AnalysisFailureKind.UpstreamUnreachable);
    }

    [Fact]
    public async Task A_package_missing_from_the_registry_is_an_error_with_the_name_tried()
    {
        var act = () => _host.AnalyzeAsync("https://github.com/acme/unpublished");

        var failure = (await act.Should().ThrowAsync<AnalysisFailedException>()).Which;
        failure.Kind.Should().Be(AnalysisFailureKind.PackageNotFound);
        failure.Message.Should().Contain("'acme-unpublished-mcp'").And.Contain("package.json").And.Contain("npm");
    }

    [Fact]
    public async Task When_the_manifest_name_is_not_published_the_readme_command_is_used_with_a_warning()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/renamed");

        analysis.Package.Should().Be("acme-renamed-mcp");
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("acme-internal-name").And.Contain("acme-renamed-mcp");
    }

    [Fact]
    public async Task An_npm_package_without_an_executable_is_used_with_a_warning()
    {
        var analysis = await _host.AnalyzeAsync("https://github.com/acme/library");

        analysis.Package.Should().Be("acme-library");
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("no executable");
    }

    [Fact]
    public async Task A_repository_without_any_package_says_what_catwalk_can_run()
    {
        var act = () => _host.AnalyzeAsync("https://github.com/acme/go-server");

        var failure = (await act.Should().ThrowAsync<AnalysisFailedException>()).Which;
        failure.Kind.Should().Be(AnalysisFailureKind.NoPackage);
        failure.Message.Should().Contain("npm").And.Contain("PyPI");
    }

    [Fact]
    public async Task An_unreachable_registry_is_an_upstream_failure_naming_the_registry()
    {
        _host.Registries.Unavailable = true;

        var act = () => _host.AnalyzeAsync("https://github.com/elevenlabs/elevenlabs-mcp");

        var failure = (await act.Should().ThrowAsync<AnalysisFailedException>()).Which;
        failure.Kind.Should().Be(AnalysisFailureKind.UpstreamUnreachable);
        failure.Message.Should().Contain("PyPI").And.Contain("elevenlabs-mcp");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this reports inline so the order is kept.</summary>
    private sealed class SynchronousProgress(Action<AnalysisProgress> report) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => report(value);
    }
}
