namespace Catwalk.Tests.Fakes.FlyMachines;

/// <summary>
/// What stands behind a fake machine's <c>/mcp</c> and <c>/status</c>. The fake calls <see cref="StartAsync"/> each time
/// a machine starts (after create, start or update) with the machine's config (its env carries MCP_PACKAGE,
/// MCP_RUNTIME, MCP_PACKAGE_VERSION, DEPLOYMENT_ID and the credentials, as the real image would see them), and proxies
/// the machine's upstream paths to the base URL it returns (null: the fake's own stub answers).
/// </summary>
public interface IFakeMachineUpstream
{
    Task<Uri?> StartAsync(FakeMachine machine, CancellationToken cancellationToken);

    /// <summary>The machine stopped, was updated, or was destroyed.</summary>
    Task StopAsync(FakeMachine machine, CancellationToken cancellationToken);
}
