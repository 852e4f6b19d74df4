using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Binds <see cref="LocalRuntimeOptions"/> from the configuration keys users set as environment variables;
/// the working directory defaults to <c>mcp-servers</c> under the data directory.
/// </summary>
internal sealed class LocalRuntimeOptionsSetup(IConfiguration configuration) : IConfigureOptions<LocalRuntimeOptions>
{
    public void Configure(LocalRuntimeOptions options)
    {
        var settings = new SettingReader(configuration);
        options.NpxCommand = settings.Text(LocalRuntimeOptions.NpxCommandVariable) ?? options.NpxCommand;
        options.UvxCommand = settings.Text(LocalRuntimeOptions.UvxCommandVariable) ?? options.UvxCommand;
        options.WorkingDirectory = settings.Text(LocalRuntimeOptions.WorkingDirectoryVariable) is { } directory
            ? Path.GetFullPath(directory)
            : Path.Combine(DataDirectory.Resolve(settings.Text(DataDirectory.Variable)), "mcp-servers");
        options.InitializeTimeout = settings.Duration(LocalRuntimeOptions.InitializeTimeoutVariable, DurationUnit.Seconds) ?? options.InitializeTimeout;
        options.MaxConsecutiveCrashes = settings.Count(LocalRuntimeOptions.MaxConsecutiveCrashesVariable) ?? options.MaxConsecutiveCrashes;
        options.RestartBackoff = settings.Duration(LocalRuntimeOptions.RestartBackoffVariable, DurationUnit.Seconds) ?? options.RestartBackoff;
        options.MaxRestartBackoff = settings.Duration(LocalRuntimeOptions.MaxRestartBackoffVariable, DurationUnit.Seconds) ?? options.MaxRestartBackoff;
        options.StableRunTime = settings.Duration(LocalRuntimeOptions.StableRunTimeVariable, DurationUnit.Seconds) ?? options.StableRunTime;
        options.LogTailLines = settings.Count(LocalRuntimeOptions.LogTailLinesVariable) ?? options.LogTailLines;
        options.RequestReadyTimeout = settings.Duration(LocalRuntimeOptions.RequestReadyTimeoutVariable, DurationUnit.Seconds) ?? options.RequestReadyTimeout;
        settings.ThrowIfInvalid<LocalRuntimeOptions>();
    }
}
