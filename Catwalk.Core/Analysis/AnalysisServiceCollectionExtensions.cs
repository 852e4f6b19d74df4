using System.Net;
using System.Net.Http.Headers;
using Catwalk.Core.Analysis.Caching;
using Catwalk.Core.Analysis.Llm;
using Catwalk.Core.Analysis.Reading;
using Catwalk.Core.GitHub;
using Catwalk.Core.Packages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Catwalk.Core.Analysis;

public static class AnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Repository analysis (<see cref="IRepositoryAnalyzer"/>) with its GitHub, package registry and OpenRouter
    /// clients and the database cache. Reads GITHUB_API_BASE_URL, GITHUB_TOKEN, NPM_REGISTRY_URL, PYPI_BASE_URL,
    /// OPENROUTER_API_KEY, OPENROUTER_BASE_URL, OPENROUTER_MODEL, PUBLIC_URL and ANALYSIS_CACHE_TTL.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCatwalkAnalysis(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddCatwalkAnalysis(this IServiceCollection services, IConfiguration configuration)
    {
        AddOptions<GitHubOptions>(services, o => AnalysisSettings.Bind(configuration, o), o => o.ConfigurationErrors);
        AddOptions<PackageRegistryOptions>(services, o => AnalysisSettings.Bind(configuration, o), o => o.ConfigurationErrors);
        AddOptions<OpenRouterOptions>(services, o => AnalysisSettings.Bind(configuration, o), o => o.ConfigurationErrors);
        AddOptions<AnalysisOptions>(services, o => AnalysisSettings.Bind(configuration, o), o => o.ConfigurationErrors);

        services.AddHttpClient<GitHubClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
                http.BaseAddress = WithSlash(options.BaseUrl);
                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Catwalk", "1.0"));
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
                if (!string.IsNullOrEmpty(options.Token))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
                }
            })
            .AddResilienceHandler("github", pipeline => ConfigureReadPipeline(pipeline, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45)));

        services.AddHttpClient<IPackageRegistry, PackageRegistryClient>(http =>
                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Catwalk", "1.0")))
            .AddResilienceHandler("package-registry", pipeline => ConfigureReadPipeline(pipeline, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)));

        services.AddHttpClient(OpenRouterAnalyst.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<OpenRouterOptions>>().Value;
                http.DefaultRequestHeaders.Add("HTTP-Referer", options.PublicUrl.AbsoluteUri);
                http.DefaultRequestHeaders.Add("X-Title", "Catwalk");
            })
            .AddHttpMessageHandler(() => new OpenRouterErrorHandler())
            .AddResilienceHandler("openrouter", pipeline =>
            {
                // One call can take a while; a failed completion is repeated once on 5xx/timeouts (no side effects),
                // never on 429, which the analyst turns into a warning instead of waiting.
                pipeline.AddTimeout(TimeSpan.FromSeconds(150));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(1),
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(70));
            });

        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<RepositoryReader>();
        services.AddTransient<OpenRouterAnalyst>();
        services.TryAddSingleton<IAnalysisCache, DatabaseAnalysisCache>();
        services.AddScoped<IRepositoryAnalyzer, RepositoryAnalyzer>();
        return services;
    }

    private static void AddOptions<TOptions>(IServiceCollection services, Action<TOptions> bind, Func<TOptions, IReadOnlyList<string>> errors)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Configure(bind).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new ConfigurationErrorsValidator<TOptions>(errors));
    }

    /// <summary>GETs are safe to repeat: retry transient failures (never 403/429 rate limits) with jitter, within a total timeout.</summary>
    private static void ConfigureReadPipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan attempt, TimeSpan total)
    {
        pipeline.AddTimeout(total);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(300),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            SamplingDuration = attempt * 4,
            MinimumThroughput = 10,
            FailureRatio = 0.8,
            BreakDuration = TimeSpan.FromSeconds(15),
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
        });
        pipeline.AddTimeout(attempt);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout };

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
