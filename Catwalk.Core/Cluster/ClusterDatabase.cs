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
    private readonly string _instanceId;

    public ClusterDatabase(IDbContextFactory<CatwalkDbContext> contexts, IOptions<ClusterOptions> options)
    {
        _instanceId = options.Value.InstanceId;
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
            };
            return (NpgsqlDataSource.Create(connectionString), dedicated.ConnectionString);
        });
    }

    /// <summary>What PostgreSQL shows as <c>application_name</c> of an instance's dedicated connection for <paramref name="role"/>
    /// (<c>catwalk &lt;instance&gt; &lt;role&gt;</c>).</summary>
    public static string Describe(string instanceId, string role) => $"catwalk {instanceId} {role}";

    /// <summary>The role of every instance's feed listener: counting them tells how many instances hear the feed.</summary>
    public const string FeedRole = "feed";

    public NpgsqlDataSource Pooled => _sources.Value.Pooled;

    /// <summary>A new connection of its own, not from the pool: closing it ends the session and frees its locks.</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(string role, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_sources.Value.Dedicated) { ApplicationName = Describe(_instanceId, role) };
        var connection = new NpgsqlConnection(connectionString.ConnectionString);
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
