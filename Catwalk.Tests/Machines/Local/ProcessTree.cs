using System.Globalization;

namespace Catwalk.Tests.Machines.Local;

/// <summary>A Linux process tree read from /proc, to check that a server's npx, shell and node processes come and go.</summary>
internal static class ProcessTree
{
    /// <summary>The process and all its descendants, with their command lines.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Of(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat && stat.State != 'Z')
            {
                parents[pid] = stat.ParentPid;
            }
        }

        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(pair => pair.Value == tree[i]).Select(pair => pair.Key));
        }

        return tree.Where(IsAlive).Select(pid => (pid, CommandLine(pid))).ToList();
    }

    /// <summary>Running (a zombie waiting to be reaped is not).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static (char State, int ParentPid)? Stat(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
