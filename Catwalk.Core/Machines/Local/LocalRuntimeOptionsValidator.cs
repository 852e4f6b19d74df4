using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>Fails start-up with a message naming the variable to fix.</summary>
internal sealed class LocalRuntimeOptionsValidator : IValidateOptions<LocalRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalRuntimeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NpxCommand))
        {
            failures.Add($"{LocalRuntimeOptions.NpxCommandVariable} is empty: set it to the npx command (default 'npx').");
        }

        if (string.IsNullOrWhiteSpace(options.UvxCommand))
        {
            failures.Add($"{LocalRuntimeOptions.UvxCommandVariable} is empty: set it to the uvx command (default 'uvx').");
        }

        if (string.IsNullOrWhiteSpace(options.WorkingDirectory) || !Path.IsPathFullyQualified(options.WorkingDirectory))
        {
            failures.Add($"{LocalRuntimeOptions.WorkingDirectoryVariable} must be an absolute directory for the MCP server processes (default: mcp-servers under CATWALK_DATA_DIR).");
        }

        if (options.MaxRestartBackoff < options.RestartBackoff)
        {
            failures.Add($"{LocalRuntimeOptions.MaxRestartBackoffVariable} must not be shorter than {LocalRuntimeOptions.RestartBackoffVariable}.");
        }

        if (options.InitializeTimeout <= TimeSpan.Zero || options.RestartBackoff <= TimeSpan.Zero || options.StableRunTime <= TimeSpan.Zero || options.RequestReadyTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{LocalRuntimeOptions.InitializeTimeoutVariable}, {LocalRuntimeOptions.RestartBackoffVariable}, {LocalRuntimeOptions.StableRunTimeVariable} and {LocalRuntimeOptions.RequestReadyTimeoutVariable} must be positive numbers of seconds.");
        }

        if (options.MaxConsecutiveCrashes < 1 || options.LogTailLines < 1)
        {
            failures.Add($"{LocalRuntimeOptions.MaxConsecutiveCrashesVariable} and {LocalRuntimeOptions.LogTailLinesVariable} must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
