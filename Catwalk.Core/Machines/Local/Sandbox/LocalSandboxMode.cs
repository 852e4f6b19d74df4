namespace Catwalk.Core.Machines.Local;

/// <summary>How the local runtime isolates each server process (<c>CATWALK_LOCAL_SANDBOX</c>).</summary>
public enum LocalSandboxMode
{
    /// <summary>bubblewrap: own uid, own pid namespace, read-only system, private home and /tmp, no view of Catwalk's files.</summary>
    Bwrap,

    /// <summary>No sandbox: the server runs with the host's user and sees what it sees. Only for servers the operator trusts.</summary>
    None,
}
