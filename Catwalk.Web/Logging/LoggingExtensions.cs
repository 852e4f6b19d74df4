using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace Catwalk.Web.Logging;

internal static class LoggingExtensions
{
    /// <summary>UTC, to the millisecond, sortable: the same instant reads the same on every host.</summary>
    private const string TextTimestamp = "yyyy-MM-dd HH:mm:ss.fff'Z' ";
    private const string JsonTimestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// The console log: a timestamp on every line, one line per entry (or one JSON object per line with
    /// <c>CATWALK_LOG_FORMAT=json</c>); for an operator verb everything goes to stderr, so stdout carries only the
    /// verb's own answer. Retries of remote calls are logged at Debug: the caller logs the outcome once.
    /// </summary>
    public static WebApplicationBuilder AddCatwalkLogging(this WebApplicationBuilder builder, bool commandLine)
    {
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<ConsoleLogOptions>, ConsoleLogOptionsSetup>();
        services.AddSingleton<IValidateOptions<ConsoleLogOptions>, ConsoleLogOptionsValidator>();
        services.AddOptions<ConsoleLogOptions>().ValidateOnStart();

        builder.Logging.ClearProviders();
        if (ConsoleLogOptionsSetup.Bind(builder.Configuration).IsJson)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = JsonTimestamp;
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.TimestampFormat = TextTimestamp;
                o.UseUtcTimestamp = true;
                o.SingleLine = true;
            });
        }

        if (commandLine)
        {
            services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        // Polly reports every attempt and retry of a resilience pipeline at Warning with the exception: one
        // unreachable host became dozens of stack traces. They are Debug; the caller logs one line with the reason.
        services.Configure<TelemetryOptions>(o => o.SeverityProvider = RemoteCallSeverity.Of);
        return builder;
    }
}
