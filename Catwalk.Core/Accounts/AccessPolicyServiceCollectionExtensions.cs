using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Accounts;

public static class AccessPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Who may register and how many deployments a user may own (<see cref="AccessPolicyOptions"/>), checked at start-up.
    /// Idempotent: the accounts and the deployments features both need it.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkAccessPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AccessPolicyOptions>, AccessPolicyOptionsSetup>());
        builder.Services.AddOptions<AccessPolicyOptions>().ValidateOnStart();
        return builder;
    }
}
