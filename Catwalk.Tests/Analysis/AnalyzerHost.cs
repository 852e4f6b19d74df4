using Catwalk.Core.Analysis;
using Catwalk.Core.Analysis.Caching;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fakes.GitHub;
using Catwalk.Tests.Fakes.OpenRouter;
using Catwalk.Tests.Fakes.Registries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Catwalk.Tests.Analysis;

/// <summary>
/// The analysis services as the app registers them, pointed at loopback fakes of GitHub (serving
/// <c>reposRoot</c>), the npm/PyPI registries and OpenRouter. Without a connection string the cache is off.
/// </summary>
internal sealed class AnalyzerHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AnalyzerHost(ServiceProvider services, FakeGitHubServer gitHub, FakePackageRegistryServer registries, FakeOpenRouterServer openRouter)
    {
        _services = services;
        GitHub = gitHub;
        Registries = registries;
        OpenRouter = openRouter;
    }

    public FakeGitHubServer GitHub { get; }

    public FakePackageRegistryServer Registries { get; }

    public FakeOpenRouterServer OpenRouter { get; }

    public IServiceProvider Services => _services;

    public static async Task<AnalyzerHost> StartAsync(
        string reposRoot,
        string? openRouterApiKey = null,
        string? connectionString = null,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null)
    {
        var gitHub = await FakeGitHubServer.StartAsync(reposRoot);
        var registries = await FakePackageRegistryServer.StartAsync();
        var openRouter = await FakeOpenRouterServer.StartAsync();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GITHUB_API_BASE_URL"] = gitHub.BaseAddress.AbsoluteUri,
            ["NPM_REGISTRY_URL"] = registries.NpmRegistryUrl.AbsoluteUri,
            ["PYPI_BASE_URL"] = registries.PypiBaseUrl.AbsoluteUri,
            ["OPENROUTER_BASE_URL"] = openRouter.BaseUrl.AbsoluteUri,
            ["OPENROUTER_API_KEY"] = openRouterApiKey,
            ["PUBLIC_URL"] = "https://catwalk.test",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCatwalkAnalysis(configuration);
        if (time is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(time));
        }

        if (connectionString is null)
        {
            services.Replace(ServiceDescriptor.Singleton<IAnalysisCache, NoAnalysisCache>());
        }
        else
        {
            services.AddDbContext<CatwalkDbContext>(options => options.UseNpgsql(connectionString));
        }

        return new AnalyzerHost(services.BuildServiceProvider(validateScopes: true), gitHub, registries, openRouter);
    }

    /// <summary>Analyses within the current test's cancellation.</summary>
    public Task<RepositoryAnalysis> AnalyzeAsync(string url, AnalysisRequest? request = null, IProgress<AnalysisProgress>? progress = null) =>
        RunAsync(url, request, progress, TestContext.Current.CancellationToken);

    public async Task<RepositoryAnalysis> RunAsync(string url, AnalysisRequest? request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var analyzer = scope.ServiceProvider.GetRequiredService<IRepositoryAnalyzer>();
        return await analyzer.AnalyzeAsync(url, request ?? AnalysisRequest.Default, progress, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await GitHub.DisposeAsync();
        await Registries.DisposeAsync();
        await OpenRouter.DisposeAsync();
    }
}
