using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>Binds <see cref="LocalSandboxOptions"/> from the environment and finds bwrap on the host.</summary>
internal sealed class LocalSandboxOptionsSetup(IConfiguration configuration) : IConfigureOptions<LocalSandboxOptions>
{
    private readonly LocalSettingReader _settings = new(configuration, typeof(LocalSandboxOptions));

    public void Configure(LocalSandboxOptions options)
    {
        options.Mode = _settings.Text(LocalSandboxOptions.ModeVariable)?.ToLowerInvariant() switch
        {
            null or "bwrap" or "bubblewrap" => LocalSandboxMode.Bwrap,
            "none" => LocalSandboxMode.None,
            var other => throw new OptionsValidationException(LocalSandboxOptions.ModeVariable, typeof(LocalSandboxOptions),
                [$"{LocalSandboxOptions.ModeVariable} is '{other}': set it to 'bwrap' (the default) or 'none'."]),
        };
        options.BwrapPath = ExecutableSearch.Find("bwrap");
        options.Directory = Path.Combine(DataDirectory.Resolve(configuration[DataDirectory.Variable]), "sandboxes");
        options.MemoryMb = _settings.Count(LocalSandboxOptions.MemoryMbVariable, minimum: 64) ?? options.MemoryMb;
        options.MaxProcesses = _settings.Count(LocalSandboxOptions.MaxProcessesVariable, minimum: 16) ?? options.MaxProcesses;
        options.MaxOpenFiles = _settings.Count(LocalSandboxOptions.MaxOpenFilesVariable, minimum: 64) ?? options.MaxOpenFiles;
        options.ReadOnlyPaths = _settings.Text(LocalSandboxOptions.ReadOnlyPathsVariable) is { } paths
            ? paths.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : options.ReadOnlyPaths;
    }
}
