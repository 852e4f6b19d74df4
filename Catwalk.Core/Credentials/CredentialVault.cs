using System.Text;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Core.Credentials;

/// <summary>
/// <see cref="ICredentialVault"/> over the <c>credentials</c> table. A singleton: each call uses its own scope and
/// DbContext, so Blazor circuits and background services can share it.
/// </summary>
internal sealed class CredentialVault(IServiceScopeFactory scopes, FernetKeyRing keys) : ICredentialVault
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task ReplaceAllAsync(Guid deploymentId, IReadOnlyDictionary<string, string> credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = Validate(credentials);
        if (problems.Count > 0)
        {
            throw new CredentialValidationException(problems);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Saves of one deployment's set queue behind each other instead of racing on the (deployment, name) index;
        // rows are locked in id order, the order key rotation locks them in, so the two cannot deadlock.
        var deployment = await db.Deployments
            .FromSql($"""SELECT * FROM deployments WHERE "Id" = {deploymentId} FOR NO KEY UPDATE""")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (deployment.Count == 0)
        {
            throw new InvalidOperationException($"Deployment {deploymentId} does not exist.");
        }

        var existing = await db.Credentials
            .FromSql($"""SELECT * FROM credentials WHERE "DeploymentId" = {deploymentId} ORDER BY "Id" FOR UPDATE""")
            .ToListAsync(cancellationToken);

        db.Credentials.RemoveRange(existing.Where(row => !credentials.ContainsKey(row.Name)));
        var byName = existing.ToDictionary(row => row.Name, StringComparer.Ordinal);
        foreach (var (name, value) in credentials)
        {
            // Always a fresh token: unchanged values move to the first key too.
            var token = keys.Encrypt(StrictUtf8.GetBytes(value));
            if (byName.TryGetValue(name, out var row))
            {
                row.FernetToken = token;
            }
            else
            {
                db.Credentials.Add(new StoredCredential { DeploymentId = deploymentId, Name = name, FernetToken = token });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        var names = await db.Credentials.AsNoTracking()
            .Where(c => c.DeploymentId == deploymentId)
            .Select(c => c.Name)
            .ToListAsync(cancellationToken);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadForMachineAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        var rows = await db.Credentials.AsNoTracking()
            .Where(c => c.DeploymentId == deploymentId)
            .Select(c => new { c.Name, c.FernetToken })
            .ToListAsync(cancellationToken);

        var environment = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!keys.TryDecrypt(row.FernetToken, ttl: null, out var plaintext))
            {
                throw new InvalidOperationException(
                    $"The stored value of {row.Name} for deployment {deploymentId} decrypts under no key in {CredentialEncryptionOptions.Variable}. " +
                    $"Add the key it was saved under to {CredentialEncryptionOptions.Variable} (after the current one), or enter the credential again.");
            }

            environment[row.Name] = StrictUtf8.GetString(plaintext);
        }

        return environment;
    }

    private static List<string> Validate(IReadOnlyDictionary<string, string> credentials)
    {
        var problems = new List<string>();
        foreach (var (name, value) in credentials)
        {
            if (PackageNameRules.ValidateEnvironmentVariableName(name) is { } problem)
            {
                problems.Add(problem);
            }
            else if (value is null)
            {
                problems.Add($"{name} has no value.");
            }
            else if (value.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add($"The value of {name} contains a NUL character, which an environment variable cannot hold.");
            }
            else if (!IsValidUtf16(value))
            {
                problems.Add($"The value of {name} is not valid text.");
            }
        }

        return problems;
    }

    private static bool IsValidUtf16(string value)
    {
        try
        {
            StrictUtf8.GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
