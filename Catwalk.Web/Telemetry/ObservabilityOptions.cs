namespace Catwalk.Web.Telemetry;

/// <summary>Where traces and metrics go (configuration keys in brackets).</summary>
public sealed class ObservabilityOptions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string PrometheusVariable = "CATWALK_METRICS_SCRAPE";
    public const string PrometheusTokenVariable = "CATWALK_METRICS_TOKEN";
    public const int MinimumTokenLength = 24;

    /// <summary>The OTLP collector's base URL [OTEL_EXPORTER_OTLP_ENDPOINT]; unset: nothing is exported over OTLP.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>[OTEL_EXPORTER_OTLP_PROTOCOL] <c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Serve Prometheus' text format at <c>/metrics</c> [CATWALK_METRICS_SCRAPE=true] to admins and to the bearer
    /// of <see cref="PrometheusToken"/>.</summary>
    public bool PrometheusEnabled { get; set; }

    /// <summary>A shared secret a scraper sends as <c>Authorization: Bearer ...</c> [CATWALK_METRICS_TOKEN].</summary>
    public string? PrometheusToken { get; set; }

    /// <summary>Values that could not be read, reported by the validator with the variable's name.</summary>
    public List<string> Errors { get; } = [];
}
