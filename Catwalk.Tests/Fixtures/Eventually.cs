namespace Catwalk.Tests.Fixtures;

/// <summary>Waits for a condition with a deadline (never a fixed sleep), failing with what was awaited.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        var delay = TimeSpan.FromMilliseconds(50);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"Waited {deadline.TotalSeconds:0}s for {what}; last value: {last}");
            }

            await Task.Delay(delay, TestContext.Current.CancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what) =>
        WaitAsync(condition, ok => ok, deadline, what);

    public static Task WaitAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        WaitAsync(() => Task.FromResult(condition()), ok => ok, deadline, what);
}
