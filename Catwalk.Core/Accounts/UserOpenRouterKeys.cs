using Catwalk.Core.Credentials;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Accounts;

/// <summary>
/// Each user's own OpenRouter key, encrypted by the credential key ring. Pages only learn whether one is set;
/// the plaintext comes out only through <see cref="ReadForAnalysisAsync"/>, on its way to OpenRouter.
/// </summary>
public sealed class UserOpenRouterKeys(IDbContextFactory<CatwalkDbContext> contexts, ISecretProtector protector, TimeProvider clock)
{
    public const int MaxKeyLength = 512;

    public async Task SetAsync(string userId, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var trimmed = key?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxKeyLength || trimmed.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"An OpenRouter key is one word of 1 to {MaxKeyLength} characters.", nameof(key));
        }

        var token = protector.Protect(trimmed);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.UserOpenRouterKeys.SingleOrDefaultAsync(k => k.UserId == userId, cancellationToken);
        if (existing is null)
        {
            db.UserOpenRouterKeys.Add(new UserOpenRouterKey { UserId = userId, FernetToken = token, UpdatedAt = now });
        }
        else
        {
            existing.FernetToken = token;
            existing.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes the user's key; true when there was one.</summary>
    public async Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserOpenRouterKeys.Where(k => k.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<bool> IsSetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserOpenRouterKeys.AnyAsync(k => k.UserId == userId, cancellationToken);
    }

    /// <summary>The plaintext key for an analysis request; null when none is set or it no longer decrypts
    /// (saved under a key since dropped from <c>ENCRYPTION_KEY</c>): analysis then falls back to the system key.</summary>
    public async Task<string?> ReadForAnalysisAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.UserOpenRouterKeys.AsNoTracking().Where(k => k.UserId == userId)
            .Select(k => k.FernetToken).SingleOrDefaultAsync(cancellationToken);
        return token is not null && protector.TryUnprotect(token, out var key) ? key : null;
    }
}
