using Polly.Telemetry;

namespace Catwalk.Web.Logging;

/// <summary>How loud a resilience pipeline's events are: attempts and retries are routine (Debug); an opened circuit
/// breaker is worth an operator's attention (Warning); everything else keeps Polly's own severity.</summary>
internal static class RemoteCallSeverity
{
    public static ResilienceEventSeverity Of(SeverityProviderArguments args) => args.Event.EventName switch
    {
        "ExecutionAttempt" or "OnRetry" or "OnTimeout" or "OnHedging" or "OnCircuitHalfOpened" or "OnCircuitClosed" => ResilienceEventSeverity.Debug,
        "OnCircuitOpened" => ResilienceEventSeverity.Warning,
        _ => args.Event.Severity,
    };
}
