using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Fly;

/// <summary>Binds <see cref="FlyRuntimeOptions"/> from the variables users set; durations take the shared forms, a plain
/// number being seconds.</summary>
internal sealed class FlyRuntimeOptionsSetup(IConfiguration configuration) : IConfigureOptions<FlyRuntimeOptions>
{
    public void Configure(FlyRuntimeOptions options)
    {
        var settings = new SettingReader(configuration);
        options.ApiToken = settings.Text("FLY_API_TOKEN");
        options.ApiBaseUrl = settings.Text("FLY_API_BASE_URL") ?? FlyRuntimeOptions.DefaultApiBaseUrl;
        options.AppName = settings.Text("FLY_MCP_APP_NAME");
        options.Image = settings.Text("FLY_MCP_IMAGE");
        options.Region = settings.Text("FLY_MCP_REGION");
        options.CpuKind = settings.Text("FLY_MCP_CPU_KIND") ?? options.CpuKind;
        options.Cpus = settings.Count("FLY_MCP_CPUS", 1, 16) ?? options.Cpus;
        options.MemoryMb = settings.Count("FLY_MCP_MEMORY_MB", 256) ?? options.MemoryMb;
        options.MachineUrlTemplate = settings.Text("FLY_MACHINE_URL_TEMPLATE") ?? FlyRuntimeOptions.DefaultMachineUrlTemplate;
        options.StopTimeout = settings.Duration("FLY_MACHINE_STOP_TIMEOUT", DurationUnit.Seconds) ?? options.StopTimeout;
        options.WaitChunk = settings.Duration("FLY_MACHINE_WAIT_CHUNK", DurationUnit.Seconds) ?? options.WaitChunk;

        var r = options.Resilience;
        r.AttemptTimeout = settings.Duration("FLY_API_ATTEMPT_TIMEOUT", DurationUnit.Seconds) ?? r.AttemptTimeout;
        r.TotalTimeout = settings.Duration("FLY_API_TOTAL_TIMEOUT", DurationUnit.Seconds) ?? r.TotalTimeout;
        r.MaxRetries = settings.Count("FLY_API_MAX_RETRIES", 0, 10) ?? r.MaxRetries;
        r.RetryDelay = settings.Duration("FLY_API_RETRY_DELAY", DurationUnit.Seconds) ?? r.RetryDelay;
        r.BreakerFailureRatio = settings.Number("FLY_API_BREAKER_FAILURE_RATIO", 0.01, 1, "0.5") ?? r.BreakerFailureRatio;
        r.BreakerMinimumCalls = settings.Count("FLY_API_BREAKER_MIN_CALLS", 2) ?? r.BreakerMinimumCalls;
        r.BreakerSamplingDuration = settings.Duration("FLY_API_BREAKER_SAMPLING", DurationUnit.Seconds) ?? r.BreakerSamplingDuration;
        r.BreakDuration = settings.Duration("FLY_API_BREAKER_BREAK", DurationUnit.Seconds) ?? r.BreakDuration;
        settings.ThrowIfInvalid<FlyRuntimeOptions>();
    }
}
