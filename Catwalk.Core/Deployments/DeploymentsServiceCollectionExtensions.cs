using Catwalk.Core.Accounts;
using Catwalk.Core.Cluster;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

public static class DeploymentsServiceCollectionExtensions
{
    /// <summary>The deployment lifecycle, the status feed and the monitor, over the machine runtimes
    /// (<see cref="MachinesServiceCollectionExtensions.AddCatwalkMachines"/>).</summary>
    public static IHostApplicationBuilder AddCatwalkDeployments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DeploymentOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<DeploymentOptions>, DeploymentOptionsSetup>();
        services.AddSingleton<IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>();

        builder.AddCatwalkMachines();
        builder.AddCatwalkCluster();
        services.TryAddSingleton<DeploymentStatusFeed>();
        services.TryAddSingleton<DeploymentTransitions>();
        services.AddSingleton<DeploymentOperationGate>();
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.CatwalkMetrics>();
        services.AddSingleton<DeploymentActivity>();
        services.AddSingleton<Telemetry.MachineStateGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<Telemetry.MachineStateGauge>());
        services.AddSingleton<MachineSpecFactory>();
        services.TryAddSingleton<DeploymentQuota>();
        builder.AddCatwalkAccessPolicy();
        services.AddSingleton<DeploymentLifecycle>();
        services.AddSingleton<IDeploymentReprovisioner>(sp => sp.GetRequiredService<DeploymentLifecycle>());
        services.AddSingleton<DeploymentQueries>();
        services.TryAddSingleton<IDeploymentNames, DeploymentNames>();
        services.TryAddScoped<Accounts.AuditLog>();
        services.AddScoped<DeploymentCommands>();
        services.TryAddSingleton<OrphanMachines>();
        services.AddSingleton<Machines.Admin.MachineDirectory>();
        services.AddHostedService<DeploymentRestorer>();
        services.AddSingleton<DeploymentMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentMonitor>());
        return builder;
    }
}
