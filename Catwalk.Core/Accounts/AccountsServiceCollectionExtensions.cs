using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Personal API tokens, users' own OpenRouter keys, the audit log and user deletion (scoped; deletion needs the deployments feature). Needs
    /// <c>AddCatwalkPersistence</c> and <c>AddCatwalkCredentials</c>. The web host's own
    /// <c>AddCatwalkAccounts</c> adds Identity on top and calls this one.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<PersonalApiTokens>();
        services.TryAddScoped<UserOpenRouterKeys>();
        services.TryAddScoped<AuditLog>();
        services.TryAddScoped<UserDeletion>();
        services.TryAddScoped<UserDirectory>();
        return builder.AddCatwalkAccessPolicy();
    }
}
