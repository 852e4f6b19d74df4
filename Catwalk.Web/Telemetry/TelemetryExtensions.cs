using Catwalk.Core.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Catwalk.Web.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry: traces of API and forwarded MCP requests, lifecycle operations and outgoing calls to Fly, GitHub,
    /// OpenRouter and the registries; metrics from Catwalk's meter, ASP.NET Core, HttpClient and the resilience
    /// pipelines. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; Prometheus at <c>/metrics</c> when
    /// <c>CATWALK_METRICS_SCRAPE=true</c>.
    /// </summary>
    public static WebApplicationBuilder AddCatwalkTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<ObservabilityOptions>, ObservabilityOptionsSetup>();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>();
        services.AddOptions<ObservabilityOptions>().ValidateOnStart();
        MetricsScrapeAuthorization.Register(services);
        var settings = ObservabilityOptionsSetup.Bind(builder.Configuration);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(CatwalkTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(CatwalkTelemetry.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => IsTraced(context.Request.Path);
                    // ?token= is a deployment's access token: a query string never reaches a span.
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(o =>
                {
                    o.FilterHttpRequestMessage = request => !IsPerCallUpstream(request.RequestUri);
                    o.EnrichWithHttpRequestMessage = (activity, _) => activity.SetTag("url.query", null);
                }))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CatwalkTelemetry.Name, "Polly")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (settings.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(
                settings.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf, endpoint);
        }

        return builder;
    }

    /// <summary><c>/metrics</c> in Prometheus' text format, for admins and for the bearer of CATWALK_METRICS_TOKEN.</summary>
    public static WebApplication MapCatwalkMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.PrometheusEnabled)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(MetricsScrapeAuthorization.Policy);
        }

        return app;
    }

    /// <summary>Health probes and the Blazor circuit's own traffic are not worth a span each.</summary>
    private static bool IsTraced(PathString path) =>
        !path.StartsWithSegments("/health") && !path.StartsWithSegments("/_blazor") && !path.StartsWithSegments("/_framework")
        && !path.StartsWithSegments("/metrics");

    /// <summary>The forwarder's hop to a machine's /mcp is part of the request span already, and /status probes run every
    /// few seconds: neither gets a client span of its own.</summary>
    private static bool IsPerCallUpstream(Uri? uri) =>
        uri is not null && (uri.AbsolutePath.EndsWith("/mcp/", StringComparison.Ordinal) || uri.AbsolutePath == "/status");
}
