namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Removes this host's paths (the servers' working directory, the home directory, Catwalk's own folder) from what a
/// server printed, before it becomes a deployment's log or failure reason: users see where, not our layout.
/// </summary>
internal sealed class HostPathScrubber
{
    private readonly (string Path, string Replacement)[] _paths;

    public HostPathScrubber(string workingDirectory)
    {
        _paths = new[]
            {
                (Trim(workingDirectory), "."),
                (Trim(AppContext.BaseDirectory), "<catwalk>"),
                (Trim(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), "~"),
            }
            // Longest first: the working directory usually lives under the home directory.
            .Where(pair => pair.Item1.Length > 1)
            .OrderByDescending(pair => pair.Item1.Length)
            .ToArray();
    }

    public string Scrub(string line)
    {
        foreach (var (path, replacement) in _paths)
        {
            line = line.Replace(path, replacement, StringComparison.Ordinal);
        }

        return line;
    }

    private static string Trim(string path) => path.TrimEnd('/', '\\');
}
