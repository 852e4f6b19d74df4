namespace Catwalk.Tests.Machines.Local;

/// <summary>Waits for a condition with a deadline, polling it; no test sleeps for a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        var cancellationToken = TestContext.Current.CancellationToken;
        T last;
        while (true)
        {
            last = await probe();
            if (accept(last))
            {
                return last;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}; last observed: {(last is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object>()) : last)}");
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    public static Task IsTrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);
}
