using System.Security.Cryptography;
using Catwalk.Core.Credentials;
using Catwalk.Core.OAuth;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace Catwalk.Web.OAuth;

/// <summary>
/// The authorization server's RSA keys (signing, encryption), kept in the database as Fernet tokens under
/// <c>ENCRYPTION_KEY</c> like the data protection keys: every instance uses the same ones and they survive restarts.
/// Rotated: when the newest key of a purpose is older than <see cref="RotationInterval"/> a new one is made and used
/// from then on; the older ones stay listed (they validate what they signed) until <see cref="Retention"/>, then go.
/// The options are rebuilt when the next rotation is due (<see cref="GetChangeToken"/>), so a long-running instance
/// rotates too. The tokens themselves are in the data protection format: their keys are that ring's (rotated every 90 days).
/// </summary>
internal sealed class OAuthServerKeys(IDbContextFactory<CatwalkDbContext> contexts, ISecretProtector protector, TimeProvider time)
    : IConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictValidationOptions>
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    public static readonly TimeSpan RotationInterval = TimeSpan.FromDays(30);

    /// <summary>A retired key outlives every token it may have signed or encrypted (refresh tokens live longest).</summary>
    public static readonly TimeSpan Retention = RotationInterval + OAuthServerExtensions.RefreshTokenLifetime;

    /// <summary>Look again at least this often (a timer cannot wait months), and soon after a failure to read.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private DateTimeOffset _nextRotation = DateTimeOffset.MinValue;

    string IOptionsChangeTokenSource<OpenIddictServerOptions>.Name => Options.DefaultName;

    string IOptionsChangeTokenSource<OpenIddictValidationOptions>.Name => Options.DefaultName;

    public void Configure(OpenIddictServerOptions options)
    {
        // Newest first: OpenIddict signs and encrypts with the first credential and validates with all of them.
        var signing = Load(Signing);
        var encryption = Load(Encryption);
        foreach (var key in signing)
        {
            options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        }

        foreach (var key in encryption)
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    public IChangeToken GetChangeToken()
    {
        var wait = _nextRotation - time.GetUtcNow();
        var delay = wait < TimeSpan.FromSeconds(1) ? LongestWait : wait > LongestWait ? LongestWait : wait;
        return new CancellationChangeToken(new CancellationTokenSource(delay, time).Token);
    }

    // Options are built on the first OAuth request, after the database is prepared (and again at each rotation): a synchronous read.
    private List<RsaSecurityKey> Load(string purpose)
    {
        var now = time.GetUtcNow();
        using var db = contexts.CreateDbContext();
        db.OAuthServerKeys.Where(k => k.Purpose == purpose && k.CreatedAt < now - Retention).ExecuteDelete();
        var stored = Readable(db, purpose);
        if (stored.Count == 0 || stored[0].CreatedAt <= now - RotationInterval)
        {
            using var fresh = RSA.Create(2048);
            db.OAuthServerKeys.Add(new OAuthServerKey
            {
                Purpose = purpose,
                ProtectedKey = protector.Protect(Convert.ToBase64String(fresh.ExportPkcs8PrivateKey())),
                CreatedAt = now,
            });
            db.SaveChanges();
            // Two instances rotating together may both insert: each uses the newest row, and both stay valid.
            stored = Readable(db, purpose);
        }

        var next = stored[0].CreatedAt + RotationInterval;
        _nextRotation = _nextRotation > now && _nextRotation < next ? _nextRotation : next;
        return stored.Select(k => Import(purpose, k.Plain)).ToList();
    }

    /// <summary>The purpose's keys newest first; one encrypted under a key <c>ENCRYPTION_KEY</c> no longer holds is dropped (like the data protection keys: clients sign in again).</summary>
    private List<(DateTimeOffset CreatedAt, string Plain)> Readable(CatwalkDbContext db, string purpose)
    {
        var rows = db.OAuthServerKeys.AsNoTracking().Where(k => k.Purpose == purpose)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToList();
        var readable = new List<(DateTimeOffset, string)>(rows.Count);
        foreach (var row in rows)
        {
            if (protector.TryUnprotect(row.ProtectedKey, out var plain))
            {
                readable.Add((row.CreatedAt, plain));
            }
            else
            {
                db.OAuthServerKeys.Where(k => k.Id == row.Id).ExecuteDelete();
            }
        }

        return readable;
    }

    private static RsaSecurityKey Import(string purpose, string pkcs8)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
        return new RsaSecurityKey(rsa) { KeyId = purpose + "-" + Convert.ToHexString(SHA256.HashData(rsa.ExportRSAPublicKey()))[..16] };
    }
}
