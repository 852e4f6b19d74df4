using System.Globalization;
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
        options.NpxCommand = Text(LocalRuntimeOptions.NpxCommandVariable) ?? options.NpxCommand;
        options.UvxCommand = Text(LocalRuntimeOptions.UvxCommandVariable) ?? options.UvxCommand;
        options.WorkingDirectory = Text(LocalRuntimeOptions.WorkingDirectoryVariable) is { } directory
            ? Path.GetFullPath(directory)
            : Path.Combine(DataDirectory.Resolve(configuration[DataDirectory.Variable]), "mcp-servers");
        options.InitializeTimeout = Seconds(LocalRuntimeOptions.InitializeTimeoutVariable) ?? options.InitializeTimeout;
        options.MaxConsecutiveCrashes = Count(LocalRuntimeOptions.MaxConsecutiveCrashesVariable) ?? options.MaxConsecutiveCrashes;
        options.RestartBackoff = Seconds(LocalRuntimeOptions.RestartBackoffVariable) ?? options.RestartBackoff;
        options.MaxRestartBackoff = Seconds(LocalRuntimeOptions.MaxRestartBackoffVariable) ?? options.MaxRestartBackoff;
        options.StableRunTime = Seconds(LocalRuntimeOptions.StableRunTimeVariable) ?? options.StableRunTime;
        options.LogTailLines = Count(LocalRuntimeOptions.LogTailLinesVariable) ?? options.LogTailLines;
        options.RequestReadyTimeout = Seconds(LocalRuntimeOptions.RequestReadyTimeoutVariable) ?? options.RequestReadyTimeout;
    }

    private string? Text(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    private TimeSpan? Seconds(string key) => Text(key) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new OptionsValidationException(key, typeof(LocalRuntimeOptions), [$"{key} is '{text}': set it to a number of seconds greater than 0 (for example 30), or unset it to use the default."])
        : null;

    private int? Count(string key) => Text(key) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new OptionsValidationException(key, typeof(LocalRuntimeOptions), [$"{key} is '{text}': set it to a whole number greater than 0, or unset it to use the default."])
        : null;
}
