namespace Catwalk.Tests.Fakes.FlyMachines;

/// <summary>The Machines API operations the fake can fail.</summary>
public enum FlyCall
{
    Any,
    Create,
    Get,
    List,
    Start,
    Stop,
    Wait,
    Update,
    Destroy,
}

public enum FaultKind
{
    /// <summary>Answer with a status code (and Retry-After) without doing anything.</summary>
    Respond,

    /// <summary>Hold the answer longer than a client waits, then do the work anyway (the answer goes nowhere).</summary>
    Slow,

    /// <summary>Do the work, then drop the connection without answering (a proxy or network cut in between).</summary>
    ApplyThenDropConnection,

    /// <summary>Do the work, then answer 503: the caller cannot know it happened.</summary>
    ApplyThenFail,
}

/// <summary>A fault the fake injects into the next <see cref="Times"/> matching calls.</summary>
public sealed record FakeFault(FlyCall Call, FaultKind Kind, int StatusCode = 503, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, int Times = 1)
{
    public static FakeFault Status(FlyCall call, int statusCode, TimeSpan? retryAfter = null, int times = 1) =>
        new(call, FaultKind.Respond, statusCode, retryAfter, Times: times);

    /// <summary>Fly's rate limit: 429 with Retry-After, nothing applied.</summary>
    public static FakeFault RateLimited(FlyCall call, TimeSpan retryAfter, int times = 1) => Status(call, 429, retryAfter, times);

    /// <summary>503 with nothing applied (Fly's capacity answer before a machine exists), optionally with Retry-After.</summary>
    public static FakeFault Unavailable(FlyCall call, TimeSpan? retryAfter = null, int times = 1) => Status(call, 503, retryAfter, times);

    public static FakeFault Slow(FlyCall call, TimeSpan delay, int times = 1) => new(call, FaultKind.Slow, Delay: delay, Times: times);

    /// <summary>The call takes effect but its answer is lost: 503 after applying, or, with a delay, an answer slower than the timeout.</summary>
    public static FakeFault LoseAnswer(FlyCall call, TimeSpan? slowerThanTimeout = null, int times = 1) =>
        slowerThanTimeout is { } delay ? new(call, FaultKind.Slow, Delay: delay, Times: times) : new(call, FaultKind.ApplyThenFail, Times: times);

    /// <summary>The call takes effect, then the connection is reset before any answer: the client sees a network error.</summary>
    public static FakeFault DropConnectionAfterApplying(FlyCall call, int times = 1) => new(call, FaultKind.ApplyThenDropConnection, Times: times);
}

/// <summary>One request the fake received, as Catwalk sent it.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    FlyCall Call,
    string Method,
    string PathAndQuery,
    string? Authorization,
    string? Body,
    int StatusCode,
    FaultKind? Fault);
