namespace Catwalk.Core.Machines;

/// <summary>What a runtime knows of one machine.</summary>
/// <param name="DeploymentId">The deployment the runtime tagged the machine with; null if untagged.</param>
/// <param name="Detail">A human-readable reason for the state, when there is one (e.g. why it failed).</param>
public sealed record MachineInfo(
    string MachineId,
    Guid? DeploymentId,
    RuntimeKind RuntimeKind,
    MachineState State,
    MachineHealth Health,
    string? Region,
    Uri UpstreamBaseUrl,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastCheckedAt,
    DateTimeOffset? CreatedAt,
    string? Detail)
{
    /// <summary>The path under <see cref="UpstreamBaseUrl"/> that answers 200 once the server is up: the machine
    /// contract's <c>status</c>, or the health path of the runtime's image (mcp-proxy's <c>ping</c> on Fly).</summary>
    public string HealthPath { get; init; } = "status";

    /// <summary>Where health checks go.</summary>
    public Uri HealthUrl => new(UpstreamBaseUrl, HealthPath);

    /// <summary>The first line of <see cref="Detail"/>: the reason alone, without the log lines that may follow it.</summary>
    public string? Reason => Detail?.Split('\n', 2)[0].TrimEnd('\r');
}
