using Catwalk.Core.OAuth;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.OAuth;

/// <summary>OpenIddict's rows that can no longer be used are removed once they are two weeks old; nothing usable is.</summary>
public sealed class OAuthRecordPruningTests(PostgresServer postgres)
{
    [Fact]
    public async Task Revoked_redeemed_and_expired_rows_older_than_two_weeks_are_removed_and_the_rest_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        var cs = await postgres.CreateDatabaseAsync();
        await using var app = new CatwalkAppFactory(cs);
        _ = app.BaseAddress;
        var now = DateTime.UtcNow;
        var old = now.AddDays(-20);
        var revokedApproval = new OAuthAuthorization { Status = "revoked", Type = "permanent", CreationDate = old };
        var liveApproval = new OAuthAuthorization { Status = "valid", Type = "permanent", CreationDate = old };
        OAuthToken Token(string status, DateTime created, DateTime expires) =>
            new() { Status = status, Type = "refresh_token", CreationDate = created, ExpirationDate = expires, Authorization = liveApproval };
        var oldRevoked = Token("revoked", old, now.AddDays(10));
        var oldRedeemed = Token("redeemed", old, now.AddDays(10));
        var oldExpired = Token("valid", old, now.AddDays(-1));
        var recentRevoked = Token("revoked", now.AddDays(-1), now.AddDays(29));
        var oldStillValid = Token("valid", old, now.AddDays(10));
        await using (var db = PostgresServer.CreateContext(cs))
        {
            db.OAuthAuthorizations.AddRange(revokedApproval, liveApproval);
            db.OAuthTokens.AddRange(oldRevoked, oldRedeemed, oldExpired, recentRevoked, oldStillValid);
            await db.SaveChangesAsync(ct);
        }

        var removed = await app.Services.GetRequiredService<OAuthRecordPruning>().PruneOnceAsync(ct);

        removed.Should().Be((3L, 1L));
        await using (var db = PostgresServer.CreateContext(cs))
        {
            (await db.OAuthTokens.Select(t => t.Id).ToListAsync(ct)).Should().BeEquivalentTo([recentRevoked.Id, oldStillValid.Id],
                "a recent revoked token still marks a replay; a valid refresh token is a connected client");
            (await db.OAuthAuthorizations.Select(a => a.Id).ToListAsync(ct)).Should().Equal(liveApproval.Id);
        }
    }
}
