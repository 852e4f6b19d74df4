using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Fly;

/// <summary>Fails start-up with messages that name the variable to fix and how.</summary>
internal sealed partial class FlyRuntimeOptionsValidation : IValidateOptions<FlyRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, FlyRuntimeOptions options)
    {
        var failures = new List<string>();

        if (options.ApiToken is null)
        {
            failures.Add("FLY_API_TOKEN is not set: the Fly runtime needs a Machines API token " +
                         "(create one with `fly tokens create deploy -a <FLY_MCP_APP_NAME>`), or set CATWALK_RUNTIME=local.");
        }

        var missing = new[] { ("FLY_MCP_IMAGE", options.Image), ("FLY_MCP_APP_NAME", options.AppName) }
            .Where(v => v.Item2 is null).Select(v => v.Item1).ToArray();
        if (missing.Length > 0)
        {
            failures.Add($"The Fly runtime is enabled but {string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not set: " +
                         "set FLY_MCP_APP_NAME to the Fly app that holds the MCP machines and FLY_MCP_IMAGE to the image " +
                         "deploy/build-and-push.sh printed, or set CATWALK_RUNTIME=local.");
        }

        if (options.AppName is not null && !AppName().IsMatch(options.AppName))
        {
            failures.Add($"FLY_MCP_APP_NAME='{options.AppName}' is not a Fly app name: use lowercase letters, digits and dashes.");
        }

        if (options.Image is not null && options.Image.Any(char.IsWhiteSpace))
        {
            failures.Add("FLY_MCP_IMAGE must be an image reference such as registry.fly.io/<app>:<tag>, without spaces.");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
        {
            failures.Add($"FLY_API_BASE_URL='{options.ApiBaseUrl}' is not an http(s) URL; leave it unset for {FlyRuntimeOptions.DefaultApiBaseUrl}.");
        }

        if (!options.MachineUrlTemplate.Contains("{machineId}", StringComparison.Ordinal) ||
            !Uri.TryCreate(FlyUpstreamUrls.Resolve(options.MachineUrlTemplate, "m0", options.AppName ?? "app"), UriKind.Absolute, out var upstream) ||
            upstream.Scheme is not ("http" or "https"))
        {
            failures.Add($"FLY_MACHINE_URL_TEMPLATE='{options.MachineUrlTemplate}' must be an http(s) URL containing {{machineId}} " +
                         $"(default {FlyRuntimeOptions.DefaultMachineUrlTemplate}).");
        }

        if (options.CpuKind is not ("shared" or "performance"))
        {
            failures.Add($"FLY_MCP_CPU_KIND='{options.CpuKind}' must be 'shared' or 'performance'.");
        }

        if (options.Cpus is < 1 or > 16)
        {
            failures.Add($"FLY_MCP_CPUS={options.Cpus} must be between 1 and 16.");
        }

        if (options.MemoryMb < 256 || options.MemoryMb % 256 != 0)
        {
            failures.Add($"FLY_MCP_MEMORY_MB={options.MemoryMb} must be a multiple of 256 (at least 256).");
        }

        if (options.Region is not null && !Region().IsMatch(options.Region))
        {
            failures.Add($"FLY_MCP_REGION='{options.Region}' is not a Fly region code (e.g. iad, ams).");
        }

        var r = options.Resilience;
        if (r.AttemptTimeout <= TimeSpan.Zero || r.TotalTimeout < r.AttemptTimeout)
        {
            failures.Add("FLY_API_ATTEMPT_TIMEOUT must be positive and FLY_API_TOTAL_TIMEOUT at least as long.");
        }

        if (r.MaxRetries is < 0 or > 10 || r.BreakerMinimumCalls < 2 || r.BreakDuration < TimeSpan.FromMilliseconds(500) ||
            r.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("FLY_API_MAX_RETRIES must be 0-10, FLY_API_BREAKER_MIN_CALLS at least 2, FLY_API_BREAKER_BREAK and FLY_API_BREAKER_SAMPLING at least 500ms.");
        }

        if (options.StopTimeout <= TimeSpan.Zero || options.WaitChunk < TimeSpan.FromSeconds(1) ||
            options.WaitChunk > TimeSpan.FromSeconds(60))
        {
            failures.Add("FLY_MACHINE_STOP_TIMEOUT must be positive; FLY_MACHINE_WAIT_CHUNK between 1s and 60s.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex AppName();

    [GeneratedRegex("^[a-z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();
}
