using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(Catwalk.Tests.Fixtures.PostgresServer))]

namespace Catwalk.Tests.Fixtures;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started by the app's own launcher. A migrated template
/// database makes every fresh database a cheap copy.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Template = "catwalk_template";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catwalk-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private EmbeddedPostgresCluster? _cluster;
    private int _databaseCount;

    public EmbeddedPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        // Many app hosts (each with its own connection pools) run at once in one test run.
        _cluster = new EmbeddedPostgresCluster(new EmbeddedPostgresOptions { ClusterDirectory = _directory, DatabaseName = Template, MaxConnections = 600 });
        var templateConnection = await Task.Run(_cluster.EnsureStarted);
        await using var db = CreateContext(templateConnection);
        await db.Database.MigrateAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new, migrated, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databaseCount)}_{Guid.NewGuid().ToString("N")[..8]}";
        // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions: one copy at a time.
        await _createGate.WaitAsync();
        try
        {
            await Task.Run(() => Cluster.EnsureDatabase(name, Template));
        }
        finally
        {
            _createGate.Release();
        }

        return Cluster.ConnectionString(name);
    }

    /// <summary>A new database with no schema at all (for migration tests).</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"empty_{Interlocked.Increment(ref _databaseCount)}_{Guid.NewGuid().ToString("N")[..8]}";
        await Task.Run(() => Cluster.EnsureDatabase(name));
        return Cluster.ConnectionString(name);
    }

    public static CatwalkDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<CatwalkDbContext>().UseNpgsql(connectionString).Options);

    public ValueTask DisposeAsync()
    {
        _cluster?.Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }

        _createGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
