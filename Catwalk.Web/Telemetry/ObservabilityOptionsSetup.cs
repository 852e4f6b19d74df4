using Microsoft.Extensions.Options;

namespace Catwalk.Web.Telemetry;

/// <summary>Binds <see cref="ObservabilityOptions"/> from the OpenTelemetry and Catwalk variables.</summary>
internal sealed class ObservabilityOptionsSetup(IConfiguration configuration) : IConfigureOptions<ObservabilityOptions>
{
    public void Configure(ObservabilityOptions options) => Bind(configuration, options);

    /// <summary>Also used while the builder runs: the exporters are chosen before the host exists.</summary>
    public static ObservabilityOptions Bind(IConfiguration configuration, ObservabilityOptions? options = null)
    {
        options ??= new ObservabilityOptions();
        var endpoint = configuration[ObservabilityOptions.OtlpEndpointVariable];
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                options.OtlpEndpoint = uri;
            }
            else
            {
                options.Errors.Add($"{ObservabilityOptions.OtlpEndpointVariable} is '{endpoint}': set it to the collector's http(s) base URL " +
                                   "(for example http://otel-collector:4318), or unset it to export nothing.");
            }
        }

        var protocol = configuration[ObservabilityOptions.OtlpProtocolVariable];
        if (!string.IsNullOrWhiteSpace(protocol))
        {
            options.OtlpProtocol = protocol.Trim().ToLowerInvariant();
            if (options.OtlpProtocol is not ("http/protobuf" or "grpc"))
            {
                options.Errors.Add($"{ObservabilityOptions.OtlpProtocolVariable} is '{protocol}': set it to 'http/protobuf' (the default) or 'grpc'.");
            }
        }

        var scrape = configuration[ObservabilityOptions.PrometheusVariable];
        if (!string.IsNullOrWhiteSpace(scrape))
        {
            if (bool.TryParse(scrape, out var enabled))
            {
                options.PrometheusEnabled = enabled;
            }
            else
            {
                options.Errors.Add($"{ObservabilityOptions.PrometheusVariable} is '{scrape}': set it to 'true' to serve /metrics, or 'false'.");
            }
        }

        var token = configuration[ObservabilityOptions.PrometheusTokenVariable];
        if (!string.IsNullOrEmpty(token))
        {
            options.PrometheusToken = token;
            if (token.Length < ObservabilityOptions.MinimumTokenLength)
            {
                options.Errors.Add($"{ObservabilityOptions.PrometheusTokenVariable} has {token.Length} characters: use at least " +
                                   $"{ObservabilityOptions.MinimumTokenLength} random ones (openssl rand -hex 24).");
            }
        }

        return options;
    }
}

/// <summary>Fails start-up naming each observability variable that could not be read.</summary>
internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
