using Catwalk.Core.Accounts;
using Catwalk.Core.Credentials;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Tests.Accounts;

/// <summary>The app's persistence, credential and accounts registrations over a test database, without the web host.</summary>
internal static class AccountsTestHost
{
    public static IHost Build(string connectionString, string? encryptionKey = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = connectionString,
            [CredentialEncryptionOptions.Variable] = encryptionKey ?? FernetKey.Generate().Export(),
        });
        builder.AddCatwalkPersistence();
        builder.AddCatwalkCredentials();
        builder.AddCatwalkAccounts();
        return builder.Build();
    }

    /// <summary>A bare user row (the stores' foreign keys need one); returns its id.</summary>
    public static async Task<string> AddUserAsync(string connectionString, string email)
    {
        await using var db = PostgresServer.CreateContext(connectionString);
        var user = new CatwalkUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant() };
        db.Users.Add(user);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return user.Id;
    }
}
