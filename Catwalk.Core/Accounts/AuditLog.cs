using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Accounts;

/// <summary>Append-only trail of sign-ins, token and deployment actions. Callers pass names and ids, never secrets.</summary>
public sealed class AuditLog(IDbContextFactory<CatwalkDbContext> contexts, TimeProvider clock)
{
    public const int MaxActionLength = 64;
    public const int MaxTargetLength = 256;
    public const int MaxDetailLength = 2000;
    public const int MaxTake = 1000;

    public async Task RecordAsync(string? userId, string action, string? target, string? detail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            UserId = userId,
            Action = Cut(action, MaxActionLength)!,
            Target = Cut(target, MaxTargetLength),
            Detail = Cut(detail, MaxDetailLength),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="take"/> entries (at most <see cref="MaxTake"/>), newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditLog.AsNoTracking()
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
    }

    private static string? Cut(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
