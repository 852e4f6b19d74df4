using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The pipeline around every Machines API request, outermost first: a total timeout, retries (only for calls safe to
/// repeat, on 429, 5xx and timeouts, exponential with jitter, honouring Retry-After), a circuit breaker so an outage
/// fails fast, and a per-attempt timeout.
/// </summary>
internal static partial class FlyApiResilience
{
    public const string PipelineName = "fly-machines";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, FlyApiResilienceOptions options, ILogger logger)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "fly-total-timeout",
            TimeoutGenerator = args => ValueTask.FromResult(options.TotalTimeout + FlyCallPolicy.ExtraTimeOf(args.Context)),
        });

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "fly-retry",
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(FlyCallPolicy.IsRepeatable(args.Context) && IsFailure(args.Outcome)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    LogRetrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?",
                        args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                        args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "fly-circuit-breaker",
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumCalls,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            OnOpened = args =>
            {
                LogCircuitOpened(logger, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed(logger);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "fly-attempt-timeout",
            TimeoutGenerator = args => ValueTask.FromResult(options.AttemptTimeout + FlyCallPolicy.ExtraTimeOf(args.Context)),
        });
    }

    /// <summary>429, 5xx, timeouts and network errors; not 408, which is how <c>/wait</c> says "not yet".</summary>
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != System.Net.HttpStatusCode.RequestTimeout;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fly Machines API {Method} {Path} failed ({Outcome}); retry {Retry} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string method, string path, string outcome, int retry, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fly Machines API keeps failing: calls fail fast for {BreakDuration}")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fly Machines API answers again: circuit closed")]
    private static partial void LogCircuitClosed(ILogger logger);
}
