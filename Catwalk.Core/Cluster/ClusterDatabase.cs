using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Connections for what holds the instances together: pooled ones for <c>NOTIFY</c> and per-deployment locks, and
/// dedicated ones (never pooled) for what lives as long as a session does: the feed's <c>LISTEN</c> and the advisory
/// locks of the leader and of the local runtime, which PostgreSQL frees when that connection closes, so a dead
/// instance gives them up. Built on the same connection string as the <see cref="CatwalkDbContext"/>.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    private readonly Lazy<(NpgsqlDataSource Pooled, string Dedicated)> _sources;

    public ClusterDatabase(IDbContextFactory<CatwalkDbContext> contexts, IOptions<ClusterOptions> options)
    {
        _sources = new(() =>
        {
            using var db = contexts.CreateDbContext();
            var connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The database context has no connection string.");
            var dedicated = new NpgsqlConnectionStringBuilder(connectionString)
            {
                Pooling = false,
                // A silent network failure must surface within seconds, not at the operating system's TCP timeout.
                KeepAlive = 5,
                CommandTimeout = 10,
                ApplicationName = Describe(options.Value.InstanceId),
            };
            return (NpgsqlDataSource.Create(connectionString), dedicated.ConnectionString);
        });
    }

    /// <summary>What PostgreSQL shows as <c>application_name</c> of this instance's dedicated connections.</summary>
    public static string Describe(string instanceId) => $"catwalk {instanceId}";

    public NpgsqlDataSource Pooled => _sources.Value.Pooled;

    /// <summary>A new connection of its own, not from the pool: closing it ends the session and frees its locks.</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_sources.Value.Dedicated);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sources.IsValueCreated)
        {
            await _sources.Value.Pooled.DisposeAsync();
        }
    }
}
