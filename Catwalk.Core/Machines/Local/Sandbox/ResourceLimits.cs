using System.Globalization;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The rlimits every process of a server inherits, set by util-linux <c>prlimit</c> just before it runs the
/// server: data segment (heap and private writable mappings), open files and, when the server has a uid of its
/// own, processes (RLIMIT_NPROC counts per uid, so with a shared uid it would count the host's processes too).
/// </summary>
internal static class ResourceLimits
{
    public const string Prlimit = "/usr/bin/prlimit";

    public static IEnumerable<string> Arguments(LocalSandboxOptions options, bool ownUid)
    {
        yield return Prlimit;
        yield return "--data=" + ((long)options.MemoryMb * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        yield return "--nofile=" + options.MaxOpenFiles.ToString(CultureInfo.InvariantCulture);
        if (ownUid)
        {
            yield return "--nproc=" + options.MaxProcesses.ToString(CultureInfo.InvariantCulture);
        }

        // A core dump of a server's memory could hold its credentials.
        yield return "--core=0";
        yield return "--";
    }
}
