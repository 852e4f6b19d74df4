namespace Catwalk.Core.Machines.Local;

/// <summary>The last lines a server wrote to stderr, across its restarts: the deployment's log.</summary>
internal sealed class StderrTail(int capacity)
{
    private readonly Queue<string> _lines = new(Math.Min(capacity, 1024));
    private readonly Lock _gate = new();

    public void Add(string line)
    {
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
