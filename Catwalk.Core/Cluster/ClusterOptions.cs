using Catwalk.Core.Hosting;
using Catwalk.Core.Machines.Fly;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Cluster;

/// <summary>How Catwalk instances on one database act as one service (configuration keys in brackets).</summary>
public sealed class ClusterOptions
{
    /// <summary>This instance's name among the others: Fly's machine id [FLY_MACHINE_ID, set by Fly], else the host name
    /// with a random suffix. Shown in PostgreSQL's <c>application_name</c> of the connections that hold locks.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Fly's id of the machine this instance runs on [FLY_MACHINE_ID]; set on Fly only, where Blazor circuits
    /// are kept on their instance with <c>fly-replay</c>.</summary>
    public string? FlyMachineId { get; set; }

    /// <summary>How often a standby instance tries to take over the background duties, and the leader checks that it
    /// still holds them [CATWALK_LEADER_CHECK_INTERVAL, a duration; default 5s].</summary>
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the cross-instance feed's listener waits before checking its connection, and before listening
    /// again after losing it.</summary>
    public TimeSpan FeedCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal List<string> ReadErrors { get; } = [];
}

internal sealed class ClusterOptionsSetup(IConfiguration configuration) : IConfigureOptions<ClusterOptions>
{
    public const string LeaderCheckIntervalVariable = "CATWALK_LEADER_CHECK_INTERVAL";

    public void Configure(ClusterOptions options)
    {
        if (configuration["FLY_MACHINE_ID"] is { Length: > 0 } machineId)
        {
            options.FlyMachineId = machineId.Trim();
            options.InstanceId = options.FlyMachineId;
        }

        var raw = configuration[LeaderCheckIntervalVariable];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return;
        }

        if (DurationParser.TryParse(raw, DurationUnit.Seconds, out var interval))
        {
            options.LeaderCheckInterval = interval;
        }
        else
        {
            options.ReadErrors.Add($"{LeaderCheckIntervalVariable}='{raw}' is not a duration: {DurationParser.FormsAccepted(DurationUnit.Seconds)}.");
        }
    }
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>(options.ReadErrors);
        if (options.LeaderCheckInterval < TimeSpan.FromMilliseconds(100) || options.LeaderCheckInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{ClusterOptionsSetup.LeaderCheckIntervalVariable}={options.LeaderCheckInterval} is out of range: use 100ms to 5m (default 5s).");
        }

        if (options.FlyMachineId is { } id && !FlyUpstreamUrls.IsMachineId(id))
        {
            failures.Add($"FLY_MACHINE_ID='{id}' is not a Fly machine id (letters and digits); it is set by Fly, unset it elsewhere.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
