using Catwalk.Core.Credentials;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Machines.Secrets;

/// <summary>Machine secrets in the <c>machine_secrets</c> table, encrypted under <c>ENCRYPTION_KEY</c> like credentials.</summary>
internal sealed class DatabaseMachineSecretStore(IDbContextFactory<CatwalkDbContext> contexts, ISecretProtector protector, TimeProvider time)
    : IMachineSecretStore
{
    public async Task SaveAsync(string machineId, Guid deploymentId, string secret, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = protector.Protect(secret);
        var now = time.GetUtcNow();
        // One statement: two instances saving for one machine never collide on the key.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO machine_secrets ("MachineId", "DeploymentId", "FernetToken", "IssuedAt")
            VALUES ({machineId}, {deploymentId}, {token}, {now})
            ON CONFLICT ("MachineId") DO UPDATE SET "DeploymentId" = EXCLUDED."DeploymentId", "FernetToken" = EXCLUDED."FernetToken", "IssuedAt" = EXCLUDED."IssuedAt"
            """, cancellationToken);
    }

    public async Task<string?> FindAsync(string machineId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.MachineSecrets.AsNoTracking().Where(s => s.MachineId == machineId).Select(s => s.FernetToken)
            .FirstOrDefaultAsync(cancellationToken);
        return token is not null && protector.TryUnprotect(token, out var secret) ? secret : null;
    }

    public async Task ForgetAsync(string machineId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.MachineSecrets.Where(s => s.MachineId == machineId).ExecuteDeleteAsync(cancellationToken);
    }
}
