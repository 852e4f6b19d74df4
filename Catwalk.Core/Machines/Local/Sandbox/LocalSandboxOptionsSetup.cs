using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>Binds <see cref="LocalSandboxOptions"/> from the environment and finds bwrap on the host.</summary>
internal sealed class LocalSandboxOptionsSetup(IConfiguration configuration) : IConfigureOptions<LocalSandboxOptions>
{
    public void Configure(LocalSandboxOptions options)
    {
        var settings = new SettingReader(configuration);
        options.Mode = settings.Text(LocalSandboxOptions.ModeVariable)?.ToLowerInvariant() switch
        {
            null or "bwrap" or "bubblewrap" => LocalSandboxMode.Bwrap,
            "none" => LocalSandboxMode.None,
            var other => throw new OptionsValidationException(LocalSandboxOptions.ModeVariable, typeof(LocalSandboxOptions),
                [$"{LocalSandboxOptions.ModeVariable} is '{other}': set it to 'bwrap' (the default) or 'none'."]),
        };
        options.BwrapPath = ExecutableSearch.Find("bwrap");
        options.Directory = Path.Combine(DataDirectory.Resolve(settings.Text(DataDirectory.Variable)), "sandboxes");
        options.MemoryMb = settings.Count(LocalSandboxOptions.MemoryMbVariable, minimum: 64) ?? options.MemoryMb;
        options.MaxProcesses = settings.Count(LocalSandboxOptions.MaxProcessesVariable, minimum: 16) ?? options.MaxProcesses;
        options.MaxOpenFiles = settings.Count(LocalSandboxOptions.MaxOpenFilesVariable, minimum: 64) ?? options.MaxOpenFiles;
        options.ReadOnlyPaths = settings.Text(LocalSandboxOptions.ReadOnlyPathsVariable) is { } paths
            ? paths.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : options.ReadOnlyPaths;
        settings.ThrowIfInvalid<LocalSandboxOptions>();
    }
}
