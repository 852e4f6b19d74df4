using System.Xml.Linq;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Re-encrypts under the ring's first key what Catwalk keeps under <c>ENCRYPTION_KEY</c> besides credentials: machine
/// secrets, users' OpenRouter keys, the OAuth server's signing and encryption keys, and the data protection keys that
/// sign cookies. Without it, dropping the old key after a rotation would lose them all (Fly machines refuse Catwalk,
/// everyone is signed out, OAuth clients authorize again, OpenRouter keys are gone). These stores are small: each is
/// rewritten in one transaction with its rows locked. As with credentials, a row the first key already signed is left
/// alone (running it again rewrites nothing) and a row no key decrypts is counted and left as it is.
/// </summary>
public sealed class StoredSecretKeyRotation(IDbContextFactory<CatwalkDbContext> contexts, FernetKeyRing keys)
{
    public async Task<IReadOnlyList<StoredSecretRotationSummary>> RunAsync(CancellationToken cancellationToken) =>
    [
        await RotateAsync("machine secrets", db => db.MachineSecrets, s => s.FernetToken, (s, token) => s.FernetToken = token, keys.RotateToFirstKey, cancellationToken),
        await RotateAsync("OpenRouter keys", db => db.UserOpenRouterKeys, k => k.FernetToken, (k, token) => k.FernetToken = token, keys.RotateToFirstKey, cancellationToken),
        await RotateAsync("OAuth server keys", db => db.OAuthServerKeys, k => k.ProtectedKey, (k, token) => k.ProtectedKey = token, keys.RotateToFirstKey, cancellationToken),
        await RotateAsync("data protection keys", db => db.DataProtectionKeys, k => k.Xml ?? "", (k, xml) => k.Xml = xml, RotateTokensInXml, cancellationToken),
    ];

    private async Task<StoredSecretRotationSummary> RotateAsync<TRow>(
        string store, Func<CatwalkDbContext, DbSet<TRow>> set, Func<TRow, string> read, Action<TRow, string> write,
        Func<string, TokenRotation> rotate, CancellationToken cancellationToken)
        where TRow : class
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var table = db.Model.FindEntityType(typeof(TRow))!;
        var name = db.GetService<ISqlGenerationHelper>().DelimitIdentifier(table.GetTableName()!, table.GetSchema());
        // Locked until commit: a secret saved meanwhile waits, so its new value is never overwritten with the old one.
#pragma warning disable EF1003 // The table name comes from the EF model, delimited by the provider; nothing from outside reaches it.
        var rows = await set(db).FromSqlRaw("SELECT * FROM " + name + " FOR UPDATE").ToListAsync(cancellationToken);
#pragma warning restore EF1003
        var (rotated, current, undecryptable) = (0, 0, 0);
        foreach (var row in rows)
        {
            var rotation = rotate(read(row));
            switch (rotation.Outcome)
            {
                case TokenRotationOutcome.AlreadyUnderFirstKey:
                    current++;
                    break;
                case TokenRotationOutcome.Rotated:
                    write(row, rotation.Token!);
                    rotated++;
                    break;
                default:
                    undecryptable++;
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredSecretRotationSummary(store, rows.Count, rotated, current, undecryptable);
    }

    /// <summary>A data protection key's XML: every Fernet element in it is rotated, or the row is left whole.</summary>
    private TokenRotation RotateTokensInXml(string xml)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return new(TokenRotationOutcome.Undecryptable, null);
        }

        var rotations = root.Descendants(DataProtectionFernetElement.Name).Select(e => (Element: e, Rotation: keys.RotateToFirstKey(e.Value))).ToList();
        if (rotations.Any(r => r.Rotation.Outcome == TokenRotationOutcome.Undecryptable))
        {
            return new(TokenRotationOutcome.Undecryptable, null);
        }

        if (rotations.All(r => r.Rotation.Outcome == TokenRotationOutcome.AlreadyUnderFirstKey))
        {
            // Also a key with no Fernet element (written before its encryption was set up): nothing to rotate.
            return new(TokenRotationOutcome.AlreadyUnderFirstKey, null);
        }

        foreach (var (element, rotation) in rotations.Where(r => r.Rotation.Outcome == TokenRotationOutcome.Rotated))
        {
            element.Value = rotation.Token!;
        }

        return new(TokenRotationOutcome.Rotated, root.ToString(SaveOptions.DisableFormatting));
    }
}
