using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;


namespace Catwalk.Tests.Fixtures;

/// <summary>
/// Records every progress notification a client session receives. The SDK's per-call IProgress is detached
/// when the call returns, and the SDK dispatches each incoming message on its own task, so a final progress
/// notification can lose that race on the client side; a session-wide handler sees them all.
/// </summary>
internal sealed class ProgressRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Token, double Progress, double? Total)> _seen = new();
    private readonly IAsyncDisposable _registration;

    public ProgressRecorder(McpClient client) =>
        _registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (notification.Params is JsonObject parameters)
            {
                _seen.Enqueue((parameters["progressToken"]!.ToString(), parameters["progress"]!.GetValue<double>(), parameters["total"]?.GetValue<double>()));
            }

            return ValueTask.CompletedTask;
        });

    public static RequestOptions WithToken(string token) => new() { ProgressToken = new ProgressToken(token) };

    /// <summary>Waits for <paramref name="count"/> notifications; returns them in progress order.</summary>
    public async Task<IReadOnlyList<(string Token, double Progress, double? Total)>> WaitForAsync(int count)
    {
        var seen = await Eventually.ReturnsAsync(
            () => Task.FromResult<IReadOnlyList<(string Token, double Progress, double? Total)>>([.. _seen]),
            values => values.Count >= count,
            $"{count} progress notifications arrived",
            TimeSpan.FromSeconds(10));
        return [.. seen.OrderBy(value => value.Progress)];
    }

    public ValueTask DisposeAsync() => _registration.DisposeAsync();
}
