using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

/// <summary>Fails start-up on deadlines that would make the lifecycle give up at once or spin.</summary>
internal sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        var failures = new List<string>();
        if (options.ReadyTimeout < TimeSpan.FromSeconds(1) || options.WakeTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{DeploymentOptions.ReadyTimeoutVariable} and {DeploymentOptions.WakeTimeoutVariable} must be at least 1s (defaults 180 and 60 seconds).");
        }

        if (options.MonitorInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{DeploymentOptions.MonitorIntervalVariable} must be at least 100ms (default 10 seconds).");
        }

        if (options.IdleTimeout < TimeSpan.Zero)
        {
            failures.Add($"{DeploymentOptions.IdleTimeoutVariable} must not be negative (0 = never stop idle deployments).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
