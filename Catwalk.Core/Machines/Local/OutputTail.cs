namespace Catwalk.Core.Machines.Local;

/// <summary>The last lines a server wrote to stderr (and non-JSON lines on stdout), across its restarts, with this host's
/// paths removed: the deployment's log.</summary>
internal sealed class OutputTail(int capacity, HostPathScrubber scrubber)
{
    private readonly Queue<string> _lines = new(Math.Min(capacity, 1024));
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        line = scrubber.Scrub(line);
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>Up to <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Last(int count)
    {
        lock (_gate)
        {
            return count <= 0 ? [] : _lines.Skip(Math.Max(0, _lines.Count - count)).ToArray();
        }
    }
}
