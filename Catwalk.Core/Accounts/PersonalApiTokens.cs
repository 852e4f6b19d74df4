using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Accounts;

/// <summary>
/// Creates, lists, revokes and checks personal API tokens. A token is shown once at creation; the database
/// keeps only its SHA-256 hash, so a database leak reveals no usable token. Revocation takes effect on the
/// next request: every check reads the database.
/// </summary>
public sealed class PersonalApiTokens(IDbContextFactory<CatwalkDbContext> contexts, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<IssuedApiToken> CreateAsync(string userId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var trimmed = ValidName(name);
        var token = ApiTokenFormat.Generate();
        var entity = new PersonalApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = trimmed,
            TokenHash = ApiTokenFormat.Hash(token),
            CreatedAt = Now(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.PersonalApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiToken(entity.Id, entity.Name, token, entity.CreatedAt);
    }

    /// <summary>The user's live (unrevoked) tokens, newest first.</summary>
    public async Task<IReadOnlyList<PersonalApiTokenInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PersonalApiTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new PersonalApiTokenInfo(t.Id, t.Name, t.CreatedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the user's tokens; false when it is not theirs, unknown, or already revoked.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid tokenId, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.PersonalApiTokens
            .Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        return changed > 0;
    }

    /// <summary>The owner of a live token (and records its use); null for an unknown, malformed or revoked token.</summary>
    public async Task<ApiTokenOwner?> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (!ApiTokenFormat.LooksValid(token))
        {
            return null;
        }

        // Looking up by hash leaks nothing useful: timing can at most reveal a prefix of a hash, not of a token.
        var hash = ApiTokenFormat.Hash(token!);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var match = await db.PersonalApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Select(t => new { t.Id, t.UserId, t.Name, t.TokenHash })
            .SingleOrDefaultAsync(cancellationToken);
        if (match is null || !ConstantTime.TextEquals(match.TokenHash, hash))
        {
            return null;
        }

        var now = Now();
        await db.PersonalApiTokens.Where(t => t.Id == match.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        return new ApiTokenOwner(match.UserId, match.Id, match.Name);
    }

    private DateTimeOffset Now() => clock.GetUtcNow();

    private static string ValidName(string name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A token needs a name.", nameof(name));
        }

        return trimmed.Length <= MaxNameLength
            ? trimmed
            : throw new ArgumentException($"A token name has at most {MaxNameLength} characters.", nameof(name));
    }
}
