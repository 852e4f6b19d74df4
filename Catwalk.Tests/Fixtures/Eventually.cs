namespace Catwalk.Tests.Fixtures;

/// <summary>Waits for a condition with a deadline, polling it; no test sleeps for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);

    public static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(condition, ok => ok, what, timeout);

    public static Task IsTrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => Until(condition, what, timeout);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="accept"/> holds; returns the accepted value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var last = await probe();
            if (accept(last))
            {
                return last;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}; last observed: {Describe(last)}");
            }

            await Task.Delay(delay, TestContext.Current.CancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    private static string? Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object>()) : value?.ToString();
}
