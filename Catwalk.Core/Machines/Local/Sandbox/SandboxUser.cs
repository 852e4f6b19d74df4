using System.Security.Cryptography;
using System.Text;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The unprivileged host uid/gid a machine's server runs as: derived from the machine id, so it is the same on
/// every restart (its home stays its own) and differs between machines (the process limit counts per uid).
/// Never 0, never the app's: the range lies above ordinary users and below the 32-bit special values.
/// </summary>
internal readonly record struct SandboxUser(int Uid)
{
    public const string Name = "mcp";
    public const string Home = "/home/mcp";
    private const int FirstUid = 200_000;
    private const int UidCount = 100_000;

    public static SandboxUser For(string machineId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(machineId));
        return new SandboxUser(FirstUid + (int)(BitConverter.ToUInt32(hash, 0) % UidCount));
    }

    /// <summary>The sandbox's <c>/etc/passwd</c>: tools that look the user up (npm, Python's getpass) find it.</summary>
    public string PasswdLine => $"{Name}:x:{Uid}:{Uid}:Catwalk MCP server:{Home}:/usr/sbin/nologin\n";

    public string GroupLine => $"{Name}:x:{Uid}:\n";
}
