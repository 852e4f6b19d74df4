using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Reconciliation;

public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// The reconciler (a hosted service: a round at start-up, then every <c>CATWALK_RECONCILE_INTERVAL</c>) and the
    /// <see cref="OrphanMachines"/> list with its admin destroy. Needs persistence; registers the status feed,
    /// transitions and runtime catalogue if nothing has yet.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkReconciliation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReconciliationOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ReconciliationOptions>, ReconciliationOptionsSetup>();
        services.AddSingleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidation>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeploymentStatusFeed>();
        services.TryAddSingleton<DeploymentTransitions>();
        services.TryAddSingleton(sp => MachineRuntimeSelection.From(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<MachineRuntimes>();
        builder.AddCatwalkCluster();

        services.TryAddSingleton<OrphanMachines>();
        services.TryAddSingleton<MachineReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<MachineReconciler>());
        return builder;
    }
}

internal sealed class ReconciliationOptionsValidation : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        var failures = new List<string>();
        if (options.Interval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"CATWALK_RECONCILE_INTERVAL={options.Interval} is too short: use at least 1s (default 1m).");
        }

        if (options.SettleTime <= TimeSpan.Zero)
        {
            failures.Add("CATWALK_RECONCILE_SETTLE_TIME must be positive (default 10m).");
        }

        if (options.OrphanCleanupMinAge is { } minAge && minAge < TimeSpan.FromMinutes(1))
        {
            failures.Add($"CATWALK_ORPHAN_CLEANUP_MIN_AGE={minAge} is too short to be safe: use at least 1m, or leave it unset to only report orphans.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
