using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Re-encrypts every stored credential under the first key of the ring, in batches ordered by id, each batch
/// its own transaction. At every moment each row holds a token some ring key decrypts (the old one until its
/// batch commits, the new one after), so a crash loses nothing; rows the first key already signed are passed
/// over with one HMAC each, so running it again finishes the job without rewriting what was done.
/// </summary>
public sealed class CredentialKeyRotation(IServiceScopeFactory scopes, FernetKeyRing keys)
{
    public const int DefaultBatchSize = 100;

    /// <param name="onBatchCommitted">Called synchronously after each batch commits.</param>
    public async Task<CredentialRotationSummary> RunAsync(
        int batchSize, Action<CredentialRotationProgress>? onBatchCommitted, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int total;
        await using (var countScope = scopes.CreateAsyncScope())
        {
            total = await countScope.ServiceProvider.GetRequiredService<CatwalkDbContext>().Credentials.CountAsync(cancellationToken);
        }

        var (batches, examined, rotated, current) = (0, 0, 0, 0);
        var undecryptable = new List<long>();
        var afterId = long.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Locked until commit: a credential saved meanwhile waits, so its new value is never overwritten
            // with a re-encryption of the old one.
            var batch = await db.Credentials
                .FromSql($"""SELECT * FROM credentials WHERE "Id" > {afterId} ORDER BY "Id" LIMIT {batchSize} FOR UPDATE""")
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                var rotation = keys.RotateToFirstKey(row.FernetToken);
                switch (rotation.Outcome)
                {
                    case TokenRotationOutcome.AlreadyUnderFirstKey:
                        current++;
                        break;
                    case TokenRotationOutcome.Rotated:
                        row.FernetToken = rotation.Token!;
                        rotated++;
                        break;
                    default:
                        undecryptable.Add(row.Id);
                        break;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            batches++;
            examined += batch.Count;
            afterId = batch.Max(row => row.Id);
            onBatchCommitted?.Invoke(new CredentialRotationProgress(batches, examined, total, rotated, current, undecryptable.Count));
        }

        return new CredentialRotationSummary(batches, examined, rotated, current, undecryptable);
    }
}
