using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Wraps a server's command line in its sandbox (<see cref="LocalSandboxMode.Bwrap"/>: bubblewrap, then setpriv to
/// the machine's own uid, then prlimit) and keeps each machine's private home under the sandbox directory, so npm's and
/// uv's caches survive restarts; <see cref="Remove"/> deletes it with the machine. With <see cref="LocalSandboxMode.None"/>
/// only the resource limits apply, and every launch logs a warning.
/// </summary>
internal sealed partial class ServerSandbox(LocalSandboxOptions options, ILogger logger)
{
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Host paths that mean nothing inside the sandbox (and would point tools at the host's own folders).
    private static readonly string[] HostLocations = ["TEMP", "TMP", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "npm_config_cache", "npm_config_prefix", "npm_config_userconfig", "UV_CACHE_DIR", "UV_TOOL_DIR"];

    public LocalSandboxMode Mode => options.Mode;

    /// <summary>Why the bubblewrap sandbox cannot run on this host, with what to do; null when it can.</summary>
    public static string? Unavailable(LocalSandboxOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"The local runtime sandboxes MCP servers with bubblewrap, which needs Linux. Run Catwalk on Linux, or set {LocalSandboxOptions.ModeVariable}=none to run servers unsandboxed (only servers you trust).";
        }

        if (options.BwrapPath is null)
        {
            return $"bubblewrap (bwrap) is not installed, and the local runtime runs every MCP server in its sandbox: {LocalSandboxOptions.InstallHint} (or set {LocalSandboxOptions.ModeVariable}=none to run servers unsandboxed, only servers you trust).";
        }

        var missing = new[] { BubblewrapArguments.Setpriv, ResourceLimits.Prlimit }.FirstOrDefault(path => !File.Exists(path));
        return missing is null ? null : $"{missing} is missing: apt-get install util-linux (the sandbox uses setpriv and prlimit).";
    }

    public SandboxedLaunch Prepare(string machineId, ServerCommandLine command, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(workingDirectory);
        if (options.Mode == LocalSandboxMode.None)
        {
            LogUnsandboxed(logger, machineId, LocalSandboxOptions.ModeVariable);
            var limited = OperatingSystem.IsLinux() && File.Exists(ResourceLimits.Prlimit);
            return new SandboxedLaunch(limited ? Wrap(ResourceLimits.Arguments(options, ownUid: false), command) : command, workingDirectory, environment);
        }

        if (Unavailable(options) is { } problem || !OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException(Unavailable(options));
        }

        var privileged = System.Environment.IsPrivilegedProcess;
        var layout = CreateLayout(machineId, workingDirectory, privileged);
        var arguments = BubblewrapArguments.Build(layout, options, privileged);
        arguments.AddRange(ResourceLimits.Arguments(options, ownUid: privileged));
        arguments.Add(command.FileName);
        arguments.AddRange(command.Arguments);
        return new SandboxedLaunch(new ServerCommandLine(options.BwrapPath!, arguments), layout.Root, InsideEnvironment(environment));
    }

    /// <summary>Deletes the machine's home (its caches and whatever its server wrote) once the machine is destroyed.</summary>
    public void Remove(string machineId)
    {
        var root = RootOf(machineId);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never sandboxed (mode none), or already gone.
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(logger, machineId, exception);
        }
    }

    private static ServerCommandLine Wrap(IEnumerable<string> prefix, ServerCommandLine command)
    {
        var arguments = prefix.ToList();
        var fileName = arguments[0];
        arguments.RemoveAt(0);
        arguments.Add(command.FileName);
        arguments.AddRange(command.Arguments);
        return new ServerCommandLine(fileName, arguments);
    }

    private string RootOf(string machineId) => Path.Combine(options.Directory, machineId);

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private SandboxLayout CreateLayout(string machineId, string workingDirectory, bool privileged)
    {
        var layout = new SandboxLayout(SandboxUser.For(machineId), RootOf(machineId), workingDirectory);
        Directory.CreateDirectory(options.Directory, OwnerOnly);
        Directory.CreateDirectory(layout.Root, OwnerOnly);
        File.WriteAllText(layout.PasswdFile, layout.User.PasswdLine);
        File.WriteAllText(layout.GroupFile, layout.User.GroupLine);
        if (!Directory.Exists(layout.Home))
        {
            Directory.CreateDirectory(layout.Home, OwnerOnly);
            if (privileged)
            {
                GiveToSandboxUser(layout.Home, layout.User);
            }
        }

        return layout;
    }

    /// <summary>coreutils' chown: .NET has no API that sets a file's owner.</summary>
    private static void GiveToSandboxUser(string path, SandboxUser user)
    {
        var id = user.Uid.ToString(CultureInfo.InvariantCulture);
        using var chown = Process.Start(new ProcessStartInfo("chown", [id + ":" + id, "--", path]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("chown could not be started.");
        var error = chown.StandardError.ReadToEnd();
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new IOException($"The sandbox home {path} could not be given to uid {id}: {error.Trim()}");
        }
    }

    private static Dictionary<string, string> InsideEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var inside = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var name in HostLocations)
        {
            inside.Remove(name);
        }

        inside["HOME"] = SandboxUser.Home;
        inside["USER"] = SandboxUser.Name;
        inside["LOGNAME"] = SandboxUser.Name;
        inside["TMPDIR"] = "/tmp";
        // A fresh home has no record of npm's last update check: without this npm asks the registry and writes a notice to
        // stderr (the deployment's log) on every first start.
        inside.TryAdd("npm_config_update_notifier", "false");
        inside.TryAdd("npm_config_fund", "false");
        return inside;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: the MCP server runs WITHOUT a sandbox ({Variable}=none): it runs as Catwalk's own user and can read what Catwalk can read.")]
    private static partial void LogUnsandboxed(ILogger logger, string machineId, string variable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: its sandbox folder could not be deleted.")]
    private static partial void LogRemoveFailed(ILogger logger, string machineId, Exception exception);
}
