using Catwalk.Core.Packages;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Looks for the local runtime's tools on this host once, at start: <c>npx</c> (npm servers), <c>uvx</c> (PyPI servers)
/// and <c>bwrap</c> (the bubblewrap sandbox). A PyPI deployment on a host without uvx is refused up front rather than
/// failing at start with "could not start process 'uvx'".
/// </summary>
public sealed class LocalRuntimePrerequisites : IRuntimePrerequisites
{
    public const string SandboxCommand = "bwrap";

    private readonly RuntimeTool _npx;
    private readonly RuntimeTool _uvx;

    public LocalRuntimePrerequisites(IOptions<LocalRuntimeOptions> options)
    {
        _npx = Probe("npm servers", options.Value.NpxCommand,
            "install Node.js 20 with npm (Debian/Ubuntu: apt-get install nodejs npm), or set CATWALK_LOCAL_NPX to npx's path");
        _uvx = Probe("PyPI servers", options.Value.UvxCommand,
            "install uv (pip install uv, pipx install uv, or see https://docs.astral.sh/uv/getting-started/installation/), or set CATWALK_LOCAL_UVX to uvx's path");
        Tools = [_npx, _uvx, Probe("sandboxes", SandboxCommand, "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)")];
    }

    public IReadOnlyList<RuntimeTool> Tools { get; }

    public string? WhyCannotRun(PackageRuntime runtime)
    {
        var tool = runtime == PackageRuntime.Pypi ? _uvx : _npx;
        return tool.Found
            ? null
            : $"This Catwalk runs servers on its own host, which has no '{tool.Command}' to run {tool.Purpose}: {tool.HowToInstall}, then restart Catwalk.";
    }

    private static RuntimeTool Probe(string purpose, string command, string howToInstall) =>
        new(purpose, command, ExecutableLookup.Find(command), howToInstall);
}
