using System.Globalization;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// bwrap's argument list for one server: new pid, ipc, uts and cgroup namespaces; the system read-only; from
/// <c>/etc</c> only what name resolution, TLS, the dynamic linker and time zones need; a fresh <c>/proc</c>,
/// <c>/dev</c> and <c>/tmp</c>; the machine's own home; the shared package folder read-only. Nothing else of the
/// host (Catwalk's data directory, its cluster, key file and own files, other machines' homes) exists inside.
/// The network is shared: servers need the internet (see README, security notes).
/// </summary>
internal static class BubblewrapArguments
{
    public const string Setpriv = "/usr/bin/setpriv";

    // The parts of /etc that carry no secret and that programs need to run, resolve names and speak TLS.
    private static readonly string[] EtcEntries =
    [
        "resolv.conf", "hosts", "host.conf", "nsswitch.conf", "gai.conf", "services", "protocols", "ssl", "pki",
        "ca-certificates", "ca-certificates.conf", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
        "alternatives", "os-release", "debian_version", "mime.types",
    ];

    private static readonly string[] TopLevelSystemDirectories = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    public static List<string> Build(SandboxLayout layout, LocalSandboxOptions options, bool privileged)
    {
        var arguments = new List<string>
        {
            "--die-with-parent", "--new-session",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "catwalk-mcp",
            "--ro-bind", "/usr", "/usr",
        };
        foreach (var name in TopLevelSystemDirectories)
        {
            AddSystemDirectory(arguments, "/" + name);
        }

        // Fresh, private and (like a real /tmp) sticky and writable for everyone: the server's uid included.
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp", "--perms", "1777", "--tmpfs", "/var/tmp", "--tmpfs", "/run"]);
        arguments.AddRange(["--perms", "0755", "--dir", "/etc"]);
        foreach (var entry in EtcEntries)
        {
            arguments.AddRange(["--ro-bind-try", "/etc/" + entry, "/etc/" + entry]);
        }

        arguments.AddRange(["--ro-bind", layout.PasswdFile, "/etc/passwd", "--ro-bind", layout.GroupFile, "/etc/group"]);
        arguments.AddRange(["--perms", "0755", "--dir", "/home", "--bind", layout.Home, SandboxUser.Home]);
        foreach (var path in options.ReadOnlyPaths)
        {
            AddTraversableParent(arguments, path);
            arguments.AddRange(["--ro-bind-try", path, path]);
        }

        AddTraversableParent(arguments, layout.WorkingDirectory);
        arguments.AddRange(["--ro-bind", layout.WorkingDirectory, layout.WorkingDirectory, "--chdir", layout.WorkingDirectory]);
        if (privileged)
        {
            arguments.Add("--");
            // bwrap keeps root's capabilities when run as root; setpriv takes them all away for good (bounding set
            // included) as it becomes the machine's own uid.
            var id = layout.User.Uid.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([Setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]);
        }
        else
        {
            // Without root the host uid cannot change: a user namespace shows the server another uid and maps it to the app's.
            var id = layout.User.Uid.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["--unshare-user", "--uid", id, "--gid", id, "--"]);
        }

        return arguments;
    }

    /// <summary>
    /// bwrap creates missing parents of a mount point for root only (0700): npm walks every parent looking for
    /// node_modules/.bin and gives up on the first it may not enter.
    /// </summary>
    private static void AddTraversableParent(List<string> arguments, string path)
    {
        if (Path.GetDirectoryName(path.TrimEnd('/')) is { Length: > 1 } parent)
        {
            arguments.AddRange(["--perms", "0755", "--dir", parent]);
        }
    }

    private static void AddSystemDirectory(List<string> arguments, string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is { } target)
        {
            // Merged /usr: /bin -> usr/bin and so on.
            arguments.AddRange(["--symlink", target, path]);
        }
        else if (info.Exists)
        {
            arguments.AddRange(["--ro-bind", path, path]);
        }
    }
}
