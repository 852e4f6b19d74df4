using System.Collections.Concurrent;

namespace Catwalk.Core.Cluster;

/// <summary>
/// What this instance knows of the cross-instance feed: whether its listener hears the others right now (caches of
/// database rows are only safe then), and which of its own notifications came back to it. PostgreSQL delivers a
/// notification to every listening session at once, so this instance hearing its own means the others have it too.
/// </summary>
public sealed class ClusterFeedState
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _echoes = new();
    private volatile bool _listening;

    public bool IsListening => _listening;

    internal void Listening(bool listening) => _listening = listening;

    /// <summary>Completes when this instance's listener hears the notification <paramref name="messageId"/>.</summary>
    internal Task EchoOf(Guid messageId) =>
        _echoes.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Heard(Guid messageId)
    {
        if (_echoes.TryRemove(messageId, out var echo))
        {
            echo.TrySetResult();
        }
    }

    internal void Forget(Guid messageId) => _echoes.TryRemove(messageId, out _);
}
