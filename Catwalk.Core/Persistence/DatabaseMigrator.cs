using Catwalk.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Persistence;

/// <summary>Applies or checks the checked-in EF Core migrations.</summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, IHostEnvironment environment)
{
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        // On a new database every migration is pending; asking EF would log its failed read of the missing history
        // table as an error (Npgsql's history repository assumes the table exists and catches the failure).
        return await HistoryTableExistsAsync(db, cancellationToken)
            ? [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)]
            : [.. db.Database.GetMigrations()];
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        if (!await HistoryTableExistsAsync(db, cancellationToken))
        {
            // Created up front for the same reason: the first start's log then holds no false "Failed executing DbCommand".
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Before the server or a verb reads the tables: Development migrates; elsewhere a database behind the code is
    /// refused with what to run (migrations are an operator's step, Fly's release_command).
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            await MigrateAsync(cancellationToken);
            return;
        }

        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            throw new ConfigurationException(
                $"The database has {pending.Count} pending migration(s) ({string.Join(", ", pending)}). " +
                "Run 'dotnet Catwalk.Web.dll migrate' (Fly runs it as the release_command) and start again.");
        }
    }

    /// <summary>to_regclass resolves the name through search_path, as EF's own unqualified queries do.</summary>
    private static async Task<bool> HistoryTableExistsAsync(CatwalkDbContext db, CancellationToken cancellationToken)
    {
        var table = "\"" + HistoryRepository.DefaultTableName + "\"";
        var found = await db.Database.SqlQuery<string?>($"SELECT to_regclass({table})::text AS \"Value\"").SingleAsync(cancellationToken);
        return found is not null;
    }
}
