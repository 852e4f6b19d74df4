using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Fly;

public static class FlyRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// The Fly runtime, registered as the keyed <see cref="IMachineRuntime"/> for <see cref="RuntimeKind.Fly"/> when
    /// <c>FLY_API_TOKEN</c> is set or <c>CATWALK_RUNTIME=fly</c>; start-up then fails fast, naming the variables, when
    /// the token, <c>FLY_MCP_IMAGE</c> or <c>FLY_MCP_APP_NAME</c> is missing. Otherwise registers nothing.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkFlyRuntime(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<FlyRuntimeOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<FlyRuntimeOptions>, FlyRuntimeOptionsSetup>();
        services.AddSingleton<IValidateOptions<FlyRuntimeOptions>, FlyRuntimeOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient<FlyMachinesClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<FlyRuntimeOptions>>().Value;
                var baseUrl = options.ApiBaseUrl.EndsWith('/') ? options.ApiBaseUrl : options.ApiBaseUrl + "/";
                http.BaseAddress = new Uri(baseUrl, UriKind.Absolute);
                // The resilience pipeline owns every timeout.
                http.Timeout = Timeout.InfiniteTimeSpan;
                if (options.ApiToken is { } token)
                {
                    // Macaroon tokens ("FlyV1 fm2_...") carry their own scheme; classic tokens are bearer tokens.
                    http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization",
                        token.StartsWith("FlyV1 ", StringComparison.Ordinal) ? token : "Bearer " + token);
                }
            })
            // The runtime is a singleton holding this client: pooled connections are recycled instead of handlers.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(FlyApiResilience.PipelineName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FlyRuntimeOptions>>().Value;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FlyMachinesClient).FullName!);
                FlyApiResilience.Configure(pipeline, options.Resilience, logger);
            });

        services.TryAddSingleton<FlyMachineRuntime>(sp => new FlyMachineRuntime(
            sp.GetRequiredService<FlyMachinesClient>(),
            sp.GetRequiredService<IOptions<FlyRuntimeOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FlyMachineRuntime>>()));
        services.AddKeyedSingleton<IMachineRuntime>(RuntimeKind.Fly, (sp, _) => sp.GetRequiredService<FlyMachineRuntime>());
        return builder;
    }

    /// <summary>On when a Fly token is configured or <c>CATWALK_RUNTIME=fly</c> asks for it.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        var settings = new Hosting.SettingReader(configuration);
        return settings.Text("FLY_API_TOKEN") is not null ||
               string.Equals(settings.Text(MachineRuntimeSelection.Variable), "fly", StringComparison.OrdinalIgnoreCase);
    }
}
