namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// How Catwalk runs deployments on Fly Machines, read from the environment variables users set
/// (<c>FLY_API_TOKEN</c>, <c>FLY_MCP_APP_NAME</c>, <c>FLY_MCP_IMAGE</c>, ...).
/// </summary>
public sealed class FlyRuntimeOptions
{
    public const string DefaultApiBaseUrl = "https://api.machines.dev/v1";
    public const string DefaultMachineUrlTemplate = "http://{machineId}.vm.{appName}.internal:8080";

    /// <summary>The Machines API token (a deploy token scoped to the MCP app is safest). Never logged.</summary>
    public string? ApiToken { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The Fly app that holds the MCP machines (<c>FLY_MCP_APP_NAME</c>).</summary>
    public string? AppName { get; set; }

    /// <summary>The MCP machine image built from <c>deploy/Dockerfile</c> (<c>FLY_MCP_IMAGE</c>).</summary>
    public string? Image { get; set; }

    /// <summary>Where new machines go; null lets Fly pick the app's primary region.</summary>
    public string? Region { get; set; }

    public string CpuKind { get; set; } = "shared";

    public int Cpus { get; set; } = 1;

    public int MemoryMb { get; set; } = 256;

    /// <summary>The machine's upstream base URL; <c>{machineId}</c> and <c>{appName}</c> are substituted.</summary>
    public string MachineUrlTemplate { get; set; } = DefaultMachineUrlTemplate;

    /// <summary>How long a stop may take to reach <c>stopped</c> [FLY_MACHINE_STOP_TIMEOUT]. Starting has no deadline of
    /// its own here: provision and start return once Fly accepted them, and the lifecycle's one health wait
    /// (<c>CATWALK_READY_TIMEOUT</c>) bounds the rest.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest single <c>/wait</c> call (the API caps it at 60 s).</summary>
    public TimeSpan WaitChunk { get; set; } = TimeSpan.FromSeconds(30);

    public FlyApiResilienceOptions Resilience { get; set; } = new();
}

/// <summary>Timeouts, retries and the circuit breaker around Machines API calls (configurable so tests run fast).</summary>
public sealed class FlyApiResilienceOptions
{
    /// <summary>One HTTP attempt (a <c>/wait</c> call gets its own wait time on top).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>One call including its retries (a <c>/wait</c> call gets its own wait time on top).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of calls safe to repeat, on 429, 5xx and timeouts.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter (Retry-After wins when sent).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumCalls { get; set; } = 8;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast before trying the API again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
