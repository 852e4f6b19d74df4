using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Catwalk.Core.Persistence;

/// <summary>
/// A private PostgreSQL cluster started from the server binaries on this machine: initialised on first use,
/// reused on later starts, listening on a loopback port only, stopped cleanly by <see cref="Stop"/>.
/// When this process runs as root the server runs as the <c>postgres</c> user, as PostgreSQL requires.
/// </summary>
public sealed class EmbeddedPostgresCluster : IDisposable
{
    private const string ServiceUser = "postgres";
    private const string Superuser = "catwalk";
    private readonly EmbeddedPostgresOptions _options;
    private readonly string _binDirectory;
    private readonly bool _runAsServiceUser;
    private readonly Lock _gate = new();
    private int? _port;

    public EmbeddedPostgresCluster(EmbeddedPostgresOptions options)
    {
        _options = options;
        _binDirectory = PostgresBinaries.Locate(options.BinDirectory);
        _runAsServiceUser = Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();
    }

    public string DataDirectory => Path.Combine(_options.ClusterDirectory, "data");

    /// <summary>The loopback port the server listens on, while started.</summary>
    public int? Port => _port;

    /// <summary>The server's major version, as the data directory records it.</summary>
    public string Version
    {
        get
        {
            var file = Path.Combine(DataDirectory, "PG_VERSION");
            return File.Exists(file) ? File.ReadAllText(file).Trim() : "(not initialised)";
        }
    }

    /// <summary>True when this process started the server (rather than finding it already running).</summary>
    public bool StartedHere { get; private set; }

    private string LogFile => Path.Combine(_options.ClusterDirectory, "postgres.log");

    private string PasswordFile => Path.Combine(_options.ClusterDirectory, "superuser.password");

    /// <summary>Initialises the cluster if needed, starts it unless already running, and makes sure the app's
    /// database exists. Returns the connection string of that database.</summary>
    public string EnsureStarted()
    {
        lock (_gate)
        {
            Directory.CreateDirectory(_options.ClusterDirectory);
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            {
                Initialise();
            }

            var running = ReadRunningPort();
            StartedHere = running is null;
            _port = running ?? Start();
            var connectionString = ConnectionString(_options.DatabaseName);
            EnsureDatabase(_options.DatabaseName);
            return connectionString;
        }
    }

    /// <summary>The connection string of a database in this cluster (the cluster must be started).</summary>
    public string ConnectionString(string database)
    {
        var port = _port ?? throw new InvalidOperationException("The embedded PostgreSQL cluster is not started.");
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = Superuser,
            Password = File.ReadAllText(PasswordFile).Trim(),
            Pooling = true,
        }.ConnectionString;
    }

    /// <summary>Creates the database unless it exists; with <paramref name="template"/>, as a copy of that database.</summary>
    public void EnsureDatabase(string database, string? template = null)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", database);
            if (exists.ExecuteScalar() is not null)
            {
                return;
            }
        }

        var sql = "CREATE DATABASE " + QuoteIdentifier(database) + (template is null ? "" : " TEMPLATE " + QuoteIdentifier(template));
        using var create = new NpgsqlCommand(sql, connection);
        create.ExecuteNonQuery();
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended, data is flushed).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_port is null)
            {
                return;
            }

            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], allowFailure: true);
            _port = null;
        }
    }

    /// <summary>Stops the server when this process started it (a cluster found running belongs to someone else).</summary>
    public void StopIfStartedHere()
    {
        if (StartedHere)
        {
            Stop();
        }
    }

    public void Dispose() => Stop();

    private void Initialise()
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(PasswordFile, password);
        RestrictToOwner(PasswordFile);

        // initdb reads the password from a file the server user can read; it is removed right after.
        var initPasswordFile = Path.Combine(_options.ClusterDirectory, ".initdb-password");
        File.WriteAllText(initPasswordFile, password);
        try
        {
            Directory.CreateDirectory(DataDirectory);
            GiveToServiceUser(_options.ClusterDirectory);
            Run(Path.Combine(_binDirectory, "initdb"),
            [
                "-D", DataDirectory, "-U", Superuser, "--pwfile", initPasswordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-locale",
            ]);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        // Loopback TCP only: no Unix socket directory to own, nothing reachable from the network.
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"),
            "\n# Catwalk's embedded cluster\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n" +
            string.Create(CultureInfo.InvariantCulture, $"max_connections = {_options.MaxConnections}\n") + "fsync = on\n");
    }

    private int Start()
    {
        var port = FreeLoopbackPort();
        Run(Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", DataDirectory, "-l", LogFile, "-o", "-p " + port.ToString(CultureInfo.InvariantCulture), "-w", "-t", "60", "start"]);
        return port;
    }

    /// <summary>The port of a server already running on this data directory (left by a crashed app, say).</summary>
    private int? ReadRunningPort()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var status = Run(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "status"], allowFailure: true);
        if (status.ExitCode != 0)
        {
            return null;
        }

        // postmaster.pid line 4 is the port the running server listens on.
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private void GiveToServiceUser(string path)
    {
        if (_runAsServiceUser)
        {
            Run("chown", ["-R", ServiceUser + ":", path]);
        }
    }

    private (int ExitCode, string Output) Run(string fileName, IReadOnlyList<string> arguments, bool allowFailure = false)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _options.ClusterDirectory,
        };
        if (_runAsServiceUser && fileName != "chown")
        {
            start.FileName = "runuser";
            foreach (var arg in new[] { "-u", ServiceUser, "--", fileName })
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0 && !allowFailure)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new InvalidOperationException(
                $"Embedded PostgreSQL: '{Path.GetFileName(fileName)} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}:\n{output}\n{log}".TrimEnd());
        }

        return (process.ExitCode, output);
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
