using Catwalk.Core.Deployments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// What lets several instances share one database as one service (all PostgreSQL, nothing home-made): the status
    /// feed relayed with <c>NOTIFY</c> and heard with <c>LISTEN</c>, the leader lock for the background duties, the
    /// per-deployment operation lock, and the local runtime's one-host lock. Needs persistence; safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ClusterDatabase)))
        {
            return builder;
        }

        services.AddOptions<ClusterOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ClusterOptions>, ClusterOptionsSetup>();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClusterDatabase>();
        services.AddSingleton<ClusterFeedState>();
        services.TryAddSingleton<IStatusFeedRelay, PostgresFeedRelay>();
        services.AddSingleton<DeploymentLocks>();

        // The one-host check first: an instance that must not start should not first listen or lead.
        services.AddSingleton<LocalRuntimeHostLock>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalRuntimeHostLock>());
        services.AddSingleton<ClusterFeedListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterFeedListener>());
        services.AddSingleton<BackgroundDutyLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundDutyLeadership>());
        return builder;
    }
}
