using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Catwalk.Tests.Persistence;

public sealed class EmbeddedPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_cluster_is_reused_with_its_data_after_a_stop_and_start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "catwalk-pg-reuse-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = new EmbeddedPostgresCluster(new EmbeddedPostgresOptions { ClusterDirectory = directory });
            await ExecuteAsync(first.EnsureStarted(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
            first.Stop();

            var second = new EmbeddedPostgresCluster(new EmbeddedPostgresOptions { ClusterDirectory = directory });
            var connectionString = second.EnsureStarted();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = new NpgsqlCommand("SELECT v FROM kept", connection);
            (await read.ExecuteScalarAsync(TestContext.Current.CancellationToken)).Should().Be("still here");
            second.Stop();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Missing_binaries_give_an_error_that_says_what_to_install_or_set()
    {
        var act = () => PostgresBinaries.Locate(Path.Combine(Path.GetTempPath(), "no-postgres-here"));

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*apt-get install postgresql*CATWALK_POSTGRES_BIN*DATABASE_URL*");
    }

    [Fact]
    public async Task The_migrated_schema_enforces_one_credential_per_deployment_and_name()
    {
        await using var db = PostgresServer.CreateContext(await postgres.CreateDatabaseAsync());
        var deployment = new Deployment
        {
            Id = Guid.NewGuid(), OwnerId = "owner", Name = "demo", Package = "@scope/pkg", AccessTokenHash = "h",
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Deployments.Add(deployment);
        db.Credentials.Add(new() { DeploymentId = deployment.Id, Name = "API_KEY", FernetToken = "a" });
        db.Credentials.Add(new() { DeploymentId = deployment.Id, Name = "API_KEY", FernetToken = "b" });

        var act = () => db.SaveChangesAsync(TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<DbUpdateException>()).WithInnerException<PostgresException>()
            .Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
