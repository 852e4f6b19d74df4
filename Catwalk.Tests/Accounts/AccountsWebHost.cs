using Catwalk.Core.Credentials;
using Catwalk.Core.Persistence;
using Catwalk.Web.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Catwalk.Tests.Accounts;

/// <summary>The web host's account registrations over a test database, built but not started: what a CLI verb runs against.</summary>
internal static class AccountsWebHost
{
    public static WebApplication Build(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = connectionString,
            [CredentialEncryptionOptions.Variable] = FernetKey.Generate().Export(),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddCatwalkPersistence();
        builder.AddCatwalkCredentials();
        builder.AddCatwalkAccounts();
        return builder.Build();
    }
}
