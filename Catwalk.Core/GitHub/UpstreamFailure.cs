using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Catwalk.Core.GitHub;

/// <summary>Recognises the ways an HTTP call to an external API fails without an answer.</summary>
internal static class UpstreamFailure
{
    /// <summary>
    /// True for connection errors, timeouts and the resilience pipeline's own outcomes (open circuit, total
    /// timeout); false when the caller itself cancelled.
    /// </summary>
    public static bool IsTransport(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && exception is HttpRequestException or TaskCanceledException or TimeoutException or TimeoutRejectedException or BrokenCircuitException;
}
