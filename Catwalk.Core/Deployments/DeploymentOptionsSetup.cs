using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

/// <summary>Binds <see cref="DeploymentOptions"/>: a plain number is seconds, except <c>CATWALK_IDLE_TIMEOUT</c> (minutes,
/// <c>0</c> = never), as the README's table says.</summary>
internal sealed class DeploymentOptionsSetup(IConfiguration configuration) : IConfigureOptions<DeploymentOptions>
{
    public void Configure(DeploymentOptions options)
    {
        var settings = new SettingReader(configuration);
        options.ReadyTimeout = settings.Duration(DeploymentOptions.ReadyTimeoutVariable, DurationUnit.Seconds) ?? options.ReadyTimeout;
        options.WakeTimeout = settings.Duration(DeploymentOptions.WakeTimeoutVariable, DurationUnit.Seconds) ?? options.WakeTimeout;
        options.MonitorInterval = settings.Duration(DeploymentOptions.MonitorIntervalVariable, DurationUnit.Seconds) ?? options.MonitorInterval;
        options.IdleTimeout = settings.Duration(DeploymentOptions.IdleTimeoutVariable, DurationUnit.Minutes, zeroAllowed: true) ?? options.IdleTimeout;
        settings.ThrowIfInvalid<DeploymentOptions>();
    }
}
