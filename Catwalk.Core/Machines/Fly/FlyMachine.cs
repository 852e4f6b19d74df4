using System.Text.Json;
using System.Text.Json.Serialization;

namespace Catwalk.Core.Machines.Fly;

/// <summary>A machine as the Machines API describes it (the fields Catwalk reads).</summary>
public sealed record FlyMachine
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>created, starting, started, stopping, stopped, suspending, suspended, replacing, destroying, destroyed, failed.</summary>
    public string State { get; init; } = "unknown";

    public string? Region { get; init; }

    public string? InstanceId { get; init; }

    public FlyMachineConfig? Config { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public IReadOnlyList<FlyMachineEvent>? Events { get; init; }

    public IReadOnlyList<FlyCheckStatus>? Checks { get; init; }

    public string? Metadata(string key) =>
        Config?.Metadata is { } metadata && metadata.TryGetValue(key, out var value) ? value : null;
}

/// <summary>A machine's configuration: what Catwalk sends on create and update.</summary>
public sealed record FlyMachineConfig
{
    public required string Image { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public FlyGuest? Guest { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public FlyRestartPolicy? Restart { get; init; }

    public IReadOnlyDictionary<string, FlyMachineCheck>? Checks { get; init; }

    public bool? AutoDestroy { get; init; }

    /// <summary>Anything else the API returns is carried, so an update never drops settings Catwalk does not know.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }
}

public sealed record FlyGuest(string CpuKind, int Cpus, int MemoryMb);

/// <summary><c>no</c>, <c>always</c> or <c>on-failure</c>.</summary>
public sealed record FlyRestartPolicy(string Policy, int? MaxRetries = null);

/// <summary>A machine check Fly runs against the machine (Catwalk's: HTTP GET /status on 8080).</summary>
public sealed record FlyMachineCheck
{
    public required string Type { get; init; }

    public int? Port { get; init; }

    public string? Method { get; init; }

    public string? Path { get; init; }

    public string? Interval { get; init; }

    public string? Timeout { get; init; }

    public string? GracePeriod { get; init; }
}

/// <summary>A check's latest result: passing, warning or critical.</summary>
public sealed record FlyCheckStatus(string Name, string? Status, string? Output, DateTimeOffset? UpdatedAt);

/// <summary>One entry of the machine's event log (start, exit, launch, ...); the timestamp is Unix milliseconds.</summary>
public sealed record FlyMachineEvent
{
    public string? Type { get; init; }

    public string? Status { get; init; }

    public string? Source { get; init; }

    public long? Timestamp { get; init; }

    public FlyEventRequest? Request { get; init; }

    public DateTimeOffset? At => Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

public sealed record FlyEventRequest(FlyExitEvent? ExitEvent);

public sealed record FlyExitEvent(int? ExitCode, bool? OomKilled, bool? RequestedStop);

/// <summary><c>POST /apps/{app}/machines</c>.</summary>
public sealed record FlyCreateMachineRequest(string Name, string? Region, FlyMachineConfig Config, bool? SkipLaunch = null);

/// <summary><c>POST /apps/{app}/machines/{id}</c>.</summary>
public sealed record FlyUpdateMachineRequest(FlyMachineConfig Config, string? Region = null);

/// <summary>The API's error body.</summary>
internal sealed record FlyErrorBody(string? Error);
