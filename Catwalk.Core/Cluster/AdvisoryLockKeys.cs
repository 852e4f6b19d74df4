namespace Catwalk.Core.Cluster;

/// <summary>
/// The PostgreSQL advisory locks Catwalk takes, in the two-key form <c>(class, object)</c>. Advisory locks are per
/// database, so every Catwalk database has its own. The classes are arbitrary constants ("Catw" and "Catx" in ASCII)
/// that other applications sharing the database are unlikely to use.
/// </summary>
public static class AdvisoryLockKeys
{
    /// <summary>One lock per deployment: the lifecycle operation running on it, whichever instance runs it.</summary>
    public const int DeploymentClass = 0x43617477;

    /// <summary>Locks held for an instance's lifetime.</summary>
    public const int InstanceClass = 0x43617478;

    /// <summary>The leader: the instance running the monitor, idle stop, reconciliation and orphan cleanup.</summary>
    public const int Leader = 1;

    /// <summary>The one instance running the local runtime (its machines are its own child processes).</summary>
    public const int LocalRuntimeHost = 2;

    /// <summary>A deployment's object key: its id folded to 32 bits. Two deployments sharing one (rare) only wait for each other.</summary>
    public static int For(Guid deploymentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        deploymentId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
    }
}
