using Catwalk.Core.Analysis;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Analysis;

/// <summary>The analysis feature inside the real web host (Program.cs registers it).</summary>
public sealed class AnalysisHostingTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly TestRepositories _repositories = new();

    public ValueTask InitializeAsync()
    {
        _repositories.CopyFromCorpus("kagisearch/kagimcp");
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_app_analyses_through_its_own_services_and_caches_in_its_database()
    {
        await using var fakes = await AnalyzerHost.StartAsync(_repositories.Root);
        fakes.Registries.AddPypi("kagimcp", "0.1.5");
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var app = new CatwalkAppFactory(connectionString);
        app.Settings["GITHUB_API_BASE_URL"] = fakes.GitHub.BaseAddress.AbsoluteUri;
        app.Settings["NPM_REGISTRY_URL"] = fakes.Registries.NpmRegistryUrl.AbsoluteUri;
        app.Settings["PYPI_BASE_URL"] = fakes.Registries.PypiBaseUrl.AbsoluteUri;
        _ = app.BaseAddress;

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var analysis = await scope.ServiceProvider.GetRequiredService<IRepositoryAnalyzer>()
                .AnalyzeAsync("https://github.com/kagisearch/kagimcp", AnalysisRequest.Default, null, TestContext.Current.CancellationToken);
            analysis.Package.Should().Be("kagimcp");
            analysis.Env.Should().Contain(e => e.Name == "KAGI_API_KEY" && e.Required && e.Secret);
        }

        await using var db = PostgresServer.CreateContext(connectionString);
        db.AnalysisCache.Should().ContainSingle().Which.NormalizedRepoUrl.Should().Be("https://github.com/kagisearch/kagimcp");
    }

    [Fact]
    public async Task A_misconfigured_variable_stops_the_app_at_start_naming_it()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["GITHUB_API_BASE_URL"] = "api.github.com";

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>().WithMessage("*GITHUB_API_BASE_URL*https://api.github.com*");
    }

    public ValueTask DisposeAsync()
    {
        _repositories.Dispose();
        return ValueTask.CompletedTask;
    }
}
