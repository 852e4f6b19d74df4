using System.Net;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// A Machines API call failed; the message says which call and why, in words a deployment's Failed reason can show.
/// </summary>
public class FlyApiException : MachineRuntimeException
{
    public FlyApiException()
    {
    }

    public FlyApiException(string message)
        : base(message)
    {
    }

    public FlyApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FlyApiException(string message, HttpStatusCode? statusCode, bool mayHaveBeenApplied, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        MayHaveBeenApplied = mayHaveBeenApplied;
    }

    /// <summary>The API's status code, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when the answer was lost (timeout, 5xx, dropped connection): the call may have taken effect.</summary>
    public bool MayHaveBeenApplied { get; }

    /// <summary>How long the API asked the caller to wait before trying again (its <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// The circuit breaker is open after repeated failures: calls fail fast instead of piling up on an outage.
/// </summary>
public sealed class FlyApiUnavailableException : FlyApiException
{
    public FlyApiUnavailableException()
    {
    }

    public FlyApiUnavailableException(string message)
        : base(message)
    {
    }

    public FlyApiUnavailableException(string message, Exception innerException)
        : base(message, null, mayHaveBeenApplied: false, innerException)
    {
    }
}
