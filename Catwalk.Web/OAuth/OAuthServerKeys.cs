using System.Security.Cryptography;
using Catwalk.Core.Credentials;
using Catwalk.Core.OAuth;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Catwalk.Web.OAuth;

/// <summary>
/// The authorization server's RSA keys (signing, encryption), kept in the database encrypted under <c>ENCRYPTION_KEY</c>
/// like the data protection keys: every instance uses the same ones and they survive restarts. Made on first use.
/// Tokens themselves use the data protection format, so their keys rotate with that key ring.
/// </summary>
internal sealed class OAuthServerKeys(IDbContextFactory<CatwalkDbContext> contexts, ISecretProtector protector)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    public void Configure(OpenIddictServerOptions options)
    {
        options.SigningCredentials.Add(new SigningCredentials(Load(Signing), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(Load(Encryption), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    // Options are built on the first OAuth request, after the database is prepared: a synchronous read once per process.
    private RsaSecurityKey Load(string purpose)
    {
        using var db = contexts.CreateDbContext();
        var stored = db.OAuthServerKeys.AsNoTracking().Where(k => k.Purpose == purpose).OrderBy(k => k.Id).Select(k => k.ProtectedKey).FirstOrDefault();
        if (stored is not null && !protector.TryUnprotect(stored, out _))
        {
            // Encrypted under a key ENCRYPTION_KEY no longer holds: like the data protection keys, it is replaced (clients sign in again).
            db.OAuthServerKeys.Where(k => k.Purpose == purpose).ExecuteDelete();
            stored = null;
        }

        if (stored is null)
        {
            using var fresh = RSA.Create(2048);
            db.OAuthServerKeys.Add(new OAuthServerKey
            {
                Purpose = purpose,
                ProtectedKey = protector.Protect(Convert.ToBase64String(fresh.ExportPkcs8PrivateKey())),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            db.SaveChanges();
            // Two instances starting together may both insert: everyone uses the first row.
            stored = db.OAuthServerKeys.AsNoTracking().Where(k => k.Purpose == purpose).OrderBy(k => k.Id).Select(k => k.ProtectedKey).First();
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(stored)), out _);
        return new RsaSecurityKey(rsa) { KeyId = purpose + "-" + Convert.ToHexString(SHA256.HashData(rsa.ExportRSAPublicKey()))[..16] };
    }
}
