using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Persistence;

/// <summary>Applies or checks the checked-in EF Core migrations.</summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Development migrates on start; elsewhere a database behind the code is refused with what to run.</summary>
    public async Task PrepareAsync(bool applyPending, CancellationToken cancellationToken)
    {
        if (applyPending)
        {
            await MigrateAsync(cancellationToken);
            return;
        }

        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database has {pending.Count} pending migration(s) ({string.Join(", ", pending)}). " +
                "Run 'dotnet Catwalk.Web.dll migrate' (Fly runs it as the release_command) and start again.");
        }
    }
}
