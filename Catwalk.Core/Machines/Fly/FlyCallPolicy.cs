using Polly;

namespace Catwalk.Core.Machines.Fly;

/// <summary>What the resilience pipeline needs to know about one Machines API request.</summary>
internal static class FlyCallPolicy
{
    /// <summary>Safe to send again after a lost answer (GET, start, stop, wait, destroy). Create and update are not.</summary>
    public static readonly HttpRequestOptionsKey<bool> Repeatable = new("catwalk.fly.repeatable");

    /// <summary>Time the API may legitimately hold the request (a <c>/wait</c> call), added to both timeouts.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ExtraTime = new("catwalk.fly.extra-time");

    public static bool IsRepeatable(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(Repeatable, out var repeatable) && repeatable;

    public static TimeSpan ExtraTimeOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(ExtraTime, out var extra) ? extra : TimeSpan.Zero;
}
