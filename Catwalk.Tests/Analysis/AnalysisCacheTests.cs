using Catwalk.Core.Analysis;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Tests.Analysis;

/// <summary>The analysis cache in PostgreSQL: by normalized URL and the registries that answered, with a TTL, forced refresh, and no failures kept.</summary>
public sealed class AnalysisCacheTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Url = "https://github.com/brave/brave-search-mcp-server";
    private readonly TestRepositories _repositories = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private string _connectionString = "";
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories.CopyFromCorpus("brave/brave-search-mcp-server");
        _connectionString = await postgres.CreateDatabaseAsync();
        _host = await AnalyzerHost.StartAsync(_repositories.Root, connectionString: _connectionString, time: _time,
            settings: new Dictionary<string, string?> { ["ANALYSIS_CACHE_TTL"] = "2d" });
        _host.Registries.AddNpm("@brave/brave-search-mcp-server", "2.0.0");
    }

    [Fact]
    public async Task A_second_analysis_of_the_same_repository_comes_from_the_cache()
    {
        var first = await _host.AnalyzeAsync(Url);
        var requests = _host.GitHub.Requests.Count;

        var second = await _host.AnalyzeAsync("https://github.com/Brave/brave-search-mcp-server.git/");

        second.Should().BeEquivalentTo(first);
        _host.GitHub.Requests.Should().HaveCount(requests, "the cached result needs no GitHub call");
        await using var db = PostgresServer.CreateContext(_connectionString);
        var entry = await db.AnalysisCache.SingleAsync(TestContext.Current.CancellationToken);
        entry.NormalizedRepoUrl.Should().Be(Url);
        entry.ExpiresAt.Should().Be(_time.GetUtcNow().AddDays(2));
    }

    [Fact]
    public async Task Force_analyses_again_and_replaces_the_cached_result()
    {
        await _host.AnalyzeAsync(Url);
        _host.Registries.AddNpm("@brave/brave-search-mcp-server", "2.1.0");
        var requests = _host.GitHub.Requests.Count;

        var forced = await _host.AnalyzeAsync(Url, new AnalysisRequest { Force = true });
        var cached = await _host.AnalyzeAsync(Url);

        forced.Version.Should().Be("2.1.0");
        cached.Version.Should().Be("2.1.0");
        _host.GitHub.Requests.Count.Should().BeGreaterThan(requests);
        await using var db = PostgresServer.CreateContext(_connectionString);
        (await db.AnalysisCache.CountAsync(TestContext.Current.CancellationToken)).Should().Be(1);
    }

    [Fact]
    public async Task A_result_from_other_registries_is_not_served_and_each_set_of_sources_keeps_its_own()
    {
        await _host.AnalyzeAsync(Url);
        await using var other = await AnalyzerHost.StartAsync(_repositories.Root, connectionString: _connectionString, time: _time,
            settings: new Dictionary<string, string?> { ["ANALYSIS_CACHE_TTL"] = "2d" });
        other.Registries.AddNpm("@brave/brave-search-mcp-server", "3.0.0");

        var fromOther = await other.AnalyzeAsync(Url);
        var again = await _host.AnalyzeAsync(Url);

        fromOther.Version.Should().Be("3.0.0", "another registry answered, so the repository was analysed again");
        other.GitHub.Requests.Should().NotBeEmpty();
        again.Version.Should().Be("2.0.0");
        await using var db = PostgresServer.CreateContext(_connectionString);
        (await db.AnalysisCache.CountAsync(TestContext.Current.CancellationToken)).Should().Be(2);
    }

    [Fact]
    public async Task An_expired_result_is_analysed_again()
    {
        await _host.AnalyzeAsync(Url);
        var requests = _host.GitHub.Requests.Count;
        _time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        await _host.AnalyzeAsync(Url);

        _host.GitHub.Requests.Count.Should().BeGreaterThan(requests);
    }

    [Fact]
    public async Task Failures_are_not_cached()
    {
        _host.GitHub.RateLimited = true;
        var act = () => _host.AnalyzeAsync(Url);
        await act.Should().ThrowAsync<AnalysisFailedException>();
        _host.GitHub.RateLimited = false;

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.Package.Should().Be("@brave/brave-search-mcp-server");
    }

    [Fact]
    public async Task A_rule_based_result_is_not_reused_once_a_key_makes_the_model_available()
    {
        await _host.AnalyzeAsync(Url);
        _host.OpenRouter.EnqueueCompletion("""{ "name": null, "description": null, "package": null, "runtime": null, "env": [], "tools": [] }""");

        var analysis = await _host.AnalyzeAsync(Url, new AnalysisRequest { OpenRouterApiKey = "sk-or-user" });

        analysis.LlmUsed.Should().BeTrue();
        _host.OpenRouter.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_result_the_model_could_not_review_is_not_cached()
    {
        _host.OpenRouter.EnqueueError(429, "Rate limit exceeded");
        var degraded = await _host.AnalyzeAsync(Url, new AnalysisRequest { OpenRouterApiKey = "sk-or-user" });
        degraded.Warnings.Should().NotBeEmpty();

        await using var db = PostgresServer.CreateContext(_connectionString);
        (await db.AnalysisCache.CountAsync(TestContext.Current.CancellationToken)).Should().Be(0);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }
}
