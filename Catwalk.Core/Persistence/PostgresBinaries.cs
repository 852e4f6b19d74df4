using Catwalk.Core.Hosting;

namespace Catwalk.Core.Persistence;

/// <summary>Finds the PostgreSQL server binaries (<c>initdb</c>, <c>pg_ctl</c>) on PATH or in the usual install directories.</summary>
public static class PostgresBinaries
{
    private static readonly string[] InstallRoots = ["/usr/lib/postgresql", "/usr/local/pgsql", "/opt/homebrew/opt", "/usr/local/opt"];

    /// <summary>The directory holding initdb and pg_ctl.</summary>
    /// <exception cref="InvalidOperationException">No binaries were found; the message says what to install or set.</exception>
    public static string Locate(string? explicitDirectory = null)
    {
        foreach (var candidate in Candidates(explicitDirectory))
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return candidate;
            }
        }

        throw new ConfigurationException(
            "Catwalk needs PostgreSQL: no initdb/pg_ctl were found on PATH or under /usr/lib/postgresql/<version>/bin. " +
            "Install the PostgreSQL server (Debian/Ubuntu: 'apt-get install postgresql'; macOS: 'brew install postgresql'), " +
            "set CATWALK_POSTGRES_BIN to the directory holding initdb and pg_ctl, " +
            "or set DATABASE_URL to an existing database (postgres://user:password@host:5432/catwalk).");
    }

    private static IEnumerable<string> Candidates(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            yield return explicitDirectory;
            yield break;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        foreach (var root in InstallRoots.Where(Directory.Exists))
        {
            // Newest version first: /usr/lib/postgresql/17/bin before /usr/lib/postgresql/15/bin.
            var versions = Directory.GetDirectories(root)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d).Replace("postgresql@", "", StringComparison.Ordinal), out var v) ? v : 0);
            foreach (var version in versions)
            {
                yield return Path.Combine(version, "bin");
            }
        }
    }
}
