namespace Catwalk.Core.Machines.Local;

/// <summary>A machine's sandbox on the host: its folder (private home, generated passwd and group) and the shared package folder.</summary>
internal sealed record SandboxLayout(SandboxUser User, string Root, string WorkingDirectory)
{
    public string Home => Path.Combine(Root, "home");

    public string PasswdFile => Path.Combine(Root, "passwd");

    public string GroupFile => Path.Combine(Root, "group");
}
