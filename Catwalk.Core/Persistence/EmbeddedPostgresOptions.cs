namespace Catwalk.Core.Persistence;

/// <summary>Where the private PostgreSQL cluster lives and which binaries run it.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>The cluster's directory (holds <c>data/</c>, the log and the generated password).</summary>
    public required string ClusterDirectory { get; init; }

    /// <summary>Directory with initdb and pg_ctl; null to search PATH and the usual install directories.</summary>
    public string? BinDirectory { get; init; }

    public string DatabaseName { get; init; } = "catwalk";

    /// <summary>The cluster's <c>max_connections</c>: one app needs far fewer; a test run hosting many apps at once more.</summary>
    public int MaxConnections { get; init; } = 200;
}
