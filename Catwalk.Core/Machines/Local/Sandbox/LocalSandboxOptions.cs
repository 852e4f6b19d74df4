namespace Catwalk.Core.Machines.Local;

/// <summary>
/// How each local server process is isolated and limited. Bound from the environment variables below by
/// <see cref="LocalSandboxOptionsSetup"/>, checked by <see cref="LocalSandboxOptionsValidator"/>.
/// </summary>
public sealed class LocalSandboxOptions
{
    public const string ModeVariable = "CATWALK_LOCAL_SANDBOX";
    public const string MemoryMbVariable = "CATWALK_LOCAL_MEMORY_MB";
    public const string MaxProcessesVariable = "CATWALK_LOCAL_MAX_PROCESSES";
    public const string MaxOpenFilesVariable = "CATWALK_LOCAL_MAX_OPEN_FILES";
    public const string ReadOnlyPathsVariable = "CATWALK_LOCAL_SANDBOX_READ_ONLY_PATHS";
    public const string InstallHint = "apt-get install bubblewrap";

    public LocalSandboxMode Mode { get; set; } = LocalSandboxMode.Bwrap;

    /// <summary>The bwrap executable found on the host (null when bubblewrap is not installed).</summary>
    public string? BwrapPath { get; set; }

    /// <summary>
    /// Where each machine's private home lives on the host (<c>&lt;dir&gt;/&lt;machine id&gt;/home</c>, holding its npm and
    /// uv caches so a restart is warm). Defaults to <c>sandboxes</c> under the data directory.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>Largest data segment (heap and private writable mappings) of each process of a server, in MiB.</summary>
    public int MemoryMb { get; set; } = 1024;

    /// <summary>Processes and threads a server's user may run at once (each server has a host uid of its own).</summary>
    public int MaxProcesses { get; set; } = 256;

    /// <summary>Open file descriptors per process of a server.</summary>
    public int MaxOpenFiles { get; set; } = 1024;

    /// <summary>Extra host paths mounted read-only into every sandbox (a Node or uv installed outside <c>/usr</c>).</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; set; } = [];
}
