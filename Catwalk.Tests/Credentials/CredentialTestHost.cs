using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Catwalk.Tests.Credentials;

/// <summary>The app's own persistence and credential registrations over a test database, without the web host.</summary>
internal static class CredentialTestHost
{
    public static IHost Build(string connectionString, string? encryptionKey, string environment = "Production")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = connectionString,
            [CredentialEncryptionOptions.Variable] = encryptionKey,
        });
        builder.AddCatwalkPersistence();
        builder.AddCatwalkCredentials();
        return builder.Build();
    }

    public static string Ring(params FernetKey[] keys) => string.Join(',', keys.Select(k => k.Export()));

    public static async Task<Guid> AddDeploymentAsync(string connectionString)
    {
        await using var db = PostgresServer.CreateContext(connectionString);
        var id = Guid.NewGuid();
        var deployment = new Deployment
        {
            Id = id,
            OwnerId = "owner",
            // Names are unique per owner.
            Name = "demo-" + id.ToString("N")[..8],
            Package = "@scope/pkg",
            AccessTokenHash = "h",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return deployment.Id;
    }

    /// <summary>The credentials table exactly as stored: (id, name, token) in id order.</summary>
    public static async Task<List<(long Id, string Name, string Token)>> ReadRawAsync(string connectionString)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""SELECT "Id", "Name", "FernetToken" FROM credentials ORDER BY "Id" """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(long, string, string)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }
}
