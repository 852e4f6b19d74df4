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
    private readonly LocalSettingReader _settings = new(configuration, typeof(LocalRuntimeOptions));

    public void Configure(LocalRuntimeOptions options)
    {
        options.NpxCommand = _settings.Text(LocalRuntimeOptions.NpxCommandVariable) ?? options.NpxCommand;
        options.UvxCommand = _settings.Text(LocalRuntimeOptions.UvxCommandVariable) ?? options.UvxCommand;
        options.WorkingDirectory = _settings.Text(LocalRuntimeOptions.WorkingDirectoryVariable) is { } directory
            ? Path.GetFullPath(directory)
            : Path.Combine(DataDirectory.Resolve(configuration[DataDirectory.Variable]), "mcp-servers");
        options.InitializeTimeout = _settings.Seconds(LocalRuntimeOptions.InitializeTimeoutVariable) ?? options.InitializeTimeout;
        options.MaxConsecutiveCrashes = _settings.Count(LocalRuntimeOptions.MaxConsecutiveCrashesVariable) ?? options.MaxConsecutiveCrashes;
        options.RestartBackoff = _settings.Seconds(LocalRuntimeOptions.RestartBackoffVariable) ?? options.RestartBackoff;
        options.MaxRestartBackoff = _settings.Seconds(LocalRuntimeOptions.MaxRestartBackoffVariable) ?? options.MaxRestartBackoff;
        options.StableRunTime = _settings.Seconds(LocalRuntimeOptions.StableRunTimeVariable) ?? options.StableRunTime;
        options.LogTailLines = _settings.Count(LocalRuntimeOptions.LogTailLinesVariable) ?? options.LogTailLines;
        options.RequestReadyTimeout = _settings.Seconds(LocalRuntimeOptions.RequestReadyTimeoutVariable) ?? options.RequestReadyTimeout;
    }
}
