using System.Globalization;
using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>Binds <see cref="LocalSandboxOptions"/> from the environment and finds bwrap on the host.</summary>
internal sealed class LocalSandboxOptionsSetup(IConfiguration configuration) : IConfigureOptions<LocalSandboxOptions>
{
    public void Configure(LocalSandboxOptions options)
    {
        options.Mode = Text(LocalSandboxOptions.ModeVariable)?.ToLowerInvariant() switch
        {
            null or "bwrap" or "bubblewrap" => LocalSandboxMode.Bwrap,
            "none" => LocalSandboxMode.None,
            var other => throw new OptionsValidationException(LocalSandboxOptions.ModeVariable, typeof(LocalSandboxOptions),
                [$"{LocalSandboxOptions.ModeVariable} is '{other}': set it to 'bwrap' (the default) or 'none'."]),
        };
        options.BwrapPath = ExecutableSearch.Find("bwrap");
        options.Directory = Path.Combine(DataDirectory.Resolve(configuration[DataDirectory.Variable]), "sandboxes");
        options.MemoryMb = Count(LocalSandboxOptions.MemoryMbVariable, minimum: 64) ?? options.MemoryMb;
        options.MaxProcesses = Count(LocalSandboxOptions.MaxProcessesVariable, minimum: 16) ?? options.MaxProcesses;
        options.MaxOpenFiles = Count(LocalSandboxOptions.MaxOpenFilesVariable, minimum: 64) ?? options.MaxOpenFiles;
        options.ReadOnlyPaths = Text(LocalSandboxOptions.ReadOnlyPathsVariable) is { } paths
            ? paths.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : options.ReadOnlyPaths;
    }

    private string? Text(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    private int? Count(string key, int minimum) => Text(key) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new OptionsValidationException(key, typeof(LocalSandboxOptions), [$"{key} is '{text}': set it to a whole number of at least {minimum}, or unset it to use the default."])
        : null;
}
