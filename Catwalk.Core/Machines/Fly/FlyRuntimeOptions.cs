using System.Globalization;
using Microsoft.Extensions.Configuration;

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

    /// <summary>How long a machine may take to reach <c>started</c> (or <c>stopped</c>).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest single <c>/wait</c> call (the API caps it at 60 s).</summary>
    public TimeSpan WaitChunk { get; set; } = TimeSpan.FromSeconds(30);

    public FlyApiResilienceOptions Resilience { get; set; } = new();

    /// <summary>Values that could not be read; reported by validation, naming the variable.</summary>
    internal List<string> ReadErrors { get; } = [];

    internal void ReadFrom(IConfiguration configuration)
    {
        ApiToken = Trimmed(configuration["FLY_API_TOKEN"]);
        ApiBaseUrl = Trimmed(configuration["FLY_API_BASE_URL"]) ?? DefaultApiBaseUrl;
        AppName = Trimmed(configuration["FLY_MCP_APP_NAME"]);
        Image = Trimmed(configuration["FLY_MCP_IMAGE"]);
        Region = Trimmed(configuration["FLY_MCP_REGION"]);
        CpuKind = Trimmed(configuration["FLY_MCP_CPU_KIND"]) ?? CpuKind;
        Cpus = Integer(configuration, "FLY_MCP_CPUS", Cpus);
        MemoryMb = Integer(configuration, "FLY_MCP_MEMORY_MB", MemoryMb);
        MachineUrlTemplate = Trimmed(configuration["FLY_MACHINE_URL_TEMPLATE"]) ?? DefaultMachineUrlTemplate;
        StartTimeout = Duration(configuration, "FLY_MACHINE_START_TIMEOUT", StartTimeout);
        WaitChunk = Duration(configuration, "FLY_MACHINE_WAIT_CHUNK", WaitChunk);

        var r = Resilience;
        r.AttemptTimeout = Duration(configuration, "FLY_API_ATTEMPT_TIMEOUT", r.AttemptTimeout);
        r.TotalTimeout = Duration(configuration, "FLY_API_TOTAL_TIMEOUT", r.TotalTimeout);
        r.MaxRetries = Integer(configuration, "FLY_API_MAX_RETRIES", r.MaxRetries);
        r.RetryDelay = Duration(configuration, "FLY_API_RETRY_DELAY", r.RetryDelay);
        r.BreakerFailureRatio = Ratio(configuration, "FLY_API_BREAKER_FAILURE_RATIO", r.BreakerFailureRatio);
        r.BreakerMinimumCalls = Integer(configuration, "FLY_API_BREAKER_MIN_CALLS", r.BreakerMinimumCalls);
        r.BreakerSamplingDuration = Duration(configuration, "FLY_API_BREAKER_SAMPLING", r.BreakerSamplingDuration);
        r.BreakDuration = Duration(configuration, "FLY_API_BREAKER_BREAK", r.BreakDuration);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private int Integer(IConfiguration configuration, string variable, int fallback)
    {
        var value = Trimmed(configuration[variable]);
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        ReadErrors.Add($"{variable}='{value}' is not a whole number.");
        return fallback;
    }

    private double Ratio(IConfiguration configuration, string variable, double fallback)
    {
        var value = Trimmed(configuration[variable]);
        if (value is null)
        {
            return fallback;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and <= 1)
        {
            return parsed;
        }

        ReadErrors.Add($"{variable}='{value}' is not a ratio between 0 and 1 (e.g. 0.5).");
        return fallback;
    }

    private TimeSpan Duration(IConfiguration configuration, string variable, TimeSpan fallback)
    {
        try
        {
            return DurationSetting.Parse(variable, configuration[variable], fallback);
        }
        catch (InvalidOperationException ex)
        {
            ReadErrors.Add(ex.Message);
            return fallback;
        }
    }
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
