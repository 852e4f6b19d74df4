namespace Catwalk.Core.Machines.Local;

/// <summary>
/// A local machine's id is derived from its deployment (<c>local-&lt;deploymentId:N&gt;</c>), so provisioning the
/// same deployment twice finds the one machine it already has.
/// </summary>
public static class LocalMachineId
{
    private const string Prefix = "local-";

    public static string For(Guid deploymentId) => Prefix + deploymentId.ToString("N");

    public static bool TryParse(string? machineId, out Guid deploymentId)
    {
        deploymentId = Guid.Empty;
        return machineId is not null
            && machineId.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(machineId.AsSpan(Prefix.Length), "N", out deploymentId);
    }
}
