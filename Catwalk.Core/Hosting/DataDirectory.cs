namespace Catwalk.Core.Hosting;

/// <summary>
/// Where Catwalk keeps its local state (the embedded PostgreSQL cluster, the development encryption key):
/// <c>CATWALK_DATA_DIR</c> when set, else <c>$XDG_DATA_HOME/catwalk</c> or <c>~/.local/share/catwalk</c>;
/// for root, <c>/var/lib/catwalk</c>, which the <c>postgres</c> user can reach.
/// </summary>
public static class DataDirectory
{
    public const string Variable = "CATWALK_DATA_DIR";

    public static string Resolve(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            return "/var/lib/catwalk";
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, "catwalk");
    }
}
