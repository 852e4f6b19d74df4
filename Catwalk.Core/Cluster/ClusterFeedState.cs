using System.Collections.Concurrent;

namespace Catwalk.Core.Cluster;

/// <summary>
/// What this instance knows of the cross-instance feed: whether its listener hears the others right now (caches of
/// database rows are only safe then), and the acknowledgements of its own notifications that revoke access: each
/// listening instance (this one included) acknowledges such a notification once its subscribers have dropped what it
/// revokes.
/// </summary>
public sealed class ClusterFeedState
{
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();
    private volatile bool _listening;

    public bool IsListening => _listening;

    internal void Listening(bool listening) => _listening = listening;

    /// <summary>Completes once <paramref name="expected"/> instances acknowledged <paramref name="messageId"/>.</summary>
    internal Task AcknowledgedBy(Guid messageId, int expected)
    {
        var pending = _pending.GetOrAdd(messageId, _ => new Pending());
        pending.Expect(expected);
        return pending.Done.Task;
    }

    internal void Acknowledged(Guid messageId)
    {
        if (_pending.TryGetValue(messageId, out var pending))
        {
            pending.Count();
        }
    }

    internal void Forget(Guid messageId) => _pending.TryRemove(messageId, out _);

    private sealed class Pending
    {
        private readonly Lock _gate = new();
        private int _expected = int.MaxValue;
        private int _acknowledged;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Expect(int expected)
        {
            lock (_gate)
            {
                _expected = expected;
                Check();
            }
        }

        public void Count()
        {
            lock (_gate)
            {
                _acknowledged++;
                Check();
            }
        }

        private void Check()
        {
            if (_acknowledged >= _expected)
            {
                Done.TrySetResult();
            }
        }
    }
}
