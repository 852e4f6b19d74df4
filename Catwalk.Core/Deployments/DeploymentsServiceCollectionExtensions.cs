using System.Globalization;
using Catwalk.Core.Accounts;
using Catwalk.Core.Cluster;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Microsoft.Extensions.Configuration;
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
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DeploymentOptions>()
            .Configure(o => Bind(o, configuration))
            .Validate(o => o.ReadyTimeout > TimeSpan.Zero && o.WakeTimeout > TimeSpan.Zero && o.MonitorInterval > TimeSpan.Zero,
                "CATWALK_READY_TIMEOUT, CATWALK_WAKE_TIMEOUT and CATWALK_MONITOR_INTERVAL must be positive numbers of seconds.")
            .ValidateOnStart();

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

    private static void Bind(DeploymentOptions options, IConfiguration configuration)
    {
        options.ReadyTimeout = Seconds(configuration, "CATWALK_READY_TIMEOUT") ?? options.ReadyTimeout;
        options.WakeTimeout = Seconds(configuration, "CATWALK_WAKE_TIMEOUT") ?? options.WakeTimeout;
        options.MonitorInterval = Seconds(configuration, "CATWALK_MONITOR_INTERVAL") ?? options.MonitorInterval;
        var idleMinutes = Number(configuration, "CATWALK_IDLE_TIMEOUT");
        if (idleMinutes is not null)
        {
            options.IdleTimeout = TimeSpan.FromMinutes(idleMinutes.Value);
        }
    }

    private static TimeSpan? Seconds(IConfiguration configuration, string key) =>
        Number(configuration, key) is { } value ? TimeSpan.FromSeconds(value) : null;

    private static double? Number(IConfiguration configuration, string key)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new OptionsValidationException(key, typeof(DeploymentOptions), [$"{key}='{raw}' is not a non-negative number."]);
    }
}
