using System.Globalization;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The TCP ports a process tree listens on, read from Linux's /proc: a stdio MCP server has no business listening,
/// and one that does usually started its HTTP transport because it was not given <c>--stdio</c>. Empty elsewhere.
/// </summary>
internal static class ListeningPorts
{
    private const string ListenState = "0A";
    private static readonly string[] Tables = ["tcp", "tcp6"];

    public static IReadOnlyList<int> Of(int rootPid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        try
        {
            var tree = Tree(rootPid);
            var sockets = tree.SelectMany(SocketInodes).ToHashSet(StringComparer.Ordinal);
            if (sockets.Count == 0)
            {
                return [];
            }

            // Read the tables of the tree's own network namespace (the same as the host's unless it is sandboxed).
            return Tables
                .SelectMany(table => Listening($"/proc/{rootPid}/net/{table}"))
                .Where(entry => sockets.Contains(entry.Inode))
                .Select(entry => entry.Port)
                .Distinct()
                .Order()
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return []; // The tree changed while it was read; the next look sees it.
        }
    }

    private static List<int> Tree(int rootPid)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is { } parent)
            {
                (parents.TryGetValue(parent, out var children) ? children : parents[parent] = []).Add(pid);
            }
        }

        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.GetValueOrDefault(tree[i]) ?? []);
        }

        return tree;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static IEnumerable<string> SocketInodes(int pid)
    {
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var descriptor in descriptors)
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                yield return target["socket:[".Length..^1];
            }
        }
    }

    /// <summary>Rows of /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode".</summary>
    private static IEnumerable<(int Port, string Inode)> Listening(string table)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[3] == ListenState
                && int.TryParse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            {
                yield return (port, fields[9]);
            }
        }
    }
}
