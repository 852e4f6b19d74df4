namespace Catwalk.Core.Machines;

/// <summary>
/// Checks a machine's health URL (<see cref="MachineInfo.HealthUrl"/>: <c>/status</c>, 200 once its stdio server
/// answered initialize) over the machine contract, the same way for every runtime.
/// </summary>
public sealed class MachineStatusProbe(HttpClient http, TimeProvider time)
{
    public async Task<bool> IsReadyAsync(Uri healthUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync(healthUrl, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls <c>/status</c> until it answers 200 or the deadline passes; <paramref name="stillWorthWaiting"/>
    /// lets the caller give up early (e.g. the machine failed).</summary>
    public async Task<bool> WaitUntilReadyAsync(
        Uri healthUrl,
        TimeSpan deadline,
        Func<CancellationToken, Task<bool>>? stillWorthWaiting,
        CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + deadline;
        var delay = TimeSpan.FromMilliseconds(100);
        while (time.GetUtcNow() < until)
        {
            if (await IsReadyAsync(healthUrl, cancellationToken))
            {
                return true;
            }

            if (stillWorthWaiting is not null && !await stillWorthWaiting(cancellationToken))
            {
                return false;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }

        return false;
    }
}
