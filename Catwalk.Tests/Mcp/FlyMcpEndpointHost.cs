using System.Collections.Concurrent;
using System.Text.Json;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Fly;
using Catwalk.Tests.Machines.Local;

namespace Catwalk.Tests.Mcp;

/// <summary>
/// The real Catwalk host on the Fly runtime (<c>CATWALK_RUNTIME=fly</c>), its Machines API the loopback fake, and each
/// fake machine's <c>/mcp</c> and <c>/ping</c> served by a real server-everything: when the fake starts a machine, a
/// test-owned local runtime runs the package its env names (MCP_PACKAGE, MCP_PACKAGE_VERSION, the credentials), as
/// mcp-proxy would on Fly, and tears it down when the machine stops or is destroyed.
/// </summary>
public sealed class FlyMcpEndpointHost(PostgresServer postgres) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _serverOf = new(StringComparer.Ordinal);
    private readonly List<McpEndpointHost> _otherInstances = [];
    private LocalRuntimeScope? _servers;

    public FakeFlyMachinesApi Fly { get; private set; } = null!;

    public McpEndpointHost Catwalk { get; private set; } = null!;

    /// <summary>The version of server-everything installed for the tests (so npx runs it without a download).</summary>
    public static string EverythingVersion { get; } = ReadInstalledVersion();

    public async ValueTask InitializeAsync()
    {
        Fly = await FakeFlyMachinesApi.StartAsync();
        _servers = new LocalRuntimeScope();
        Fly.Upstreams = FakeMachineUpstreams.From(StartServerAsync, StopServerAsync);

        Catwalk = new McpEndpointHost(postgres);
        foreach (var (key, value) in FlyRuntimeHost.SettingsFor(Fly))
        {
            Catwalk.ExtraSettings[key] = value;
        }

        Catwalk.ExtraSettings["CATWALK_RUNTIME"] = "fly";
        Catwalk.ExtraSettings["CATWALK_READY_TIMEOUT"] = "60";
        Catwalk.ExtraSettings["CATWALK_WAKE_TIMEOUT"] = "30";
        Catwalk.ExtraSettings["CATWALK_RECONCILE_INTERVAL"] = "1s";
        Catwalk.ExtraSettings["CATWALK_LEADER_CHECK_INTERVAL"] = "1s";
        // Every instance decrypts what another stored.
        Catwalk.ExtraSettings["ENCRYPTION_KEY"] = Core.Credentials.FernetKey.Generate().Export();
        // npx starts server-everything in a few seconds; the machine's /ping may take that long.
        await Catwalk.InitializeAsync();
    }

    /// <summary>Another Catwalk instance with the same settings on the same database and (fake) Fly app, as
    /// <c>fly scale count 2</c> runs; disposed with this host unless a test disposes it first.</summary>
    public async Task<McpEndpointHost> StartAnotherInstanceAsync()
    {
        var other = new McpEndpointHost(postgres) { ConnectionString = Catwalk.ConnectionString, Environment = Catwalk.Environment };
        foreach (var (key, value) in Catwalk.ExtraSettings)
        {
            other.ExtraSettings[key] = value;
        }

        _otherInstances.Add(other);
        await other.InitializeAsync();
        return other;
    }

    /// <summary>The fake's machines tagged for <paramref name="deploymentId"/> (not destroyed).</summary>
    public IReadOnlyList<FakeMachine> MachinesOf(Guid deploymentId) =>
        Fly.Machines.Where(m => m.Metadata("catwalk_deployment") == deploymentId.ToString()).ToList();

    /// <summary>Deploys server-everything at the installed version with one credential; waits until Running.</summary>
    public async Task<(Guid Id, string Token, string Secret)> DeployEverythingAsync(string name)
    {
        var secret = "value-" + Guid.NewGuid().ToString("N");
        var created = await Catwalk.Lifecycle.CreateAsync(new CreateDeploymentRequest(
            "owner-fly-e2e", name, "https://github.com/modelcontextprotocol/servers", McpServerPackages.Everything,
            PackageRuntime.Npm, EverythingVersion, new Dictionary<string, string> { [McpEndpointHost.SecretName] = secret }),
            TestContext.Current.CancellationToken);
        await Catwalk.WaitForStatusAsync(created.Deployment.Id, DeploymentStatus.Running);
        return (created.Deployment.Id, created.AccessToken, secret);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var other in _otherInstances)
        {
            await other.DisposeAsync();
        }

        if (Catwalk is not null)
        {
            await Catwalk.DisposeAsync();
        }

        if (Fly is not null)
        {
            await Fly.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    /// <summary>What the MCP image does with the machine's env: run MCP_PACKAGE[@MCP_PACKAGE_VERSION] with the credentials in its env.</summary>
    private async Task<Uri?> StartServerAsync(FakeMachine machine, CancellationToken cancellationToken)
    {
        var env = machine.Environment;
        // A server per machine, not per deployment: a replacement machine must not reuse one its predecessor is tearing down.
        var spec = new MachineSpec(
            Guid.NewGuid(),
            env["MCP_PACKAGE"],
            env["MCP_RUNTIME"] == "pypi" ? PackageRuntime.Pypi : PackageRuntime.Npm,
            env.GetValueOrDefault("MCP_PACKAGE_VERSION"),
            env.Where(e => !e.Key.StartsWith("MCP_", StringComparison.Ordinal) && e.Key is not "DEPLOYMENT_ID" and not "CATWALK_MACHINE_SECRET").ToDictionary());
        var server = await _servers!.Runtime.ProvisionAsync(spec, cancellationToken);
        _serverOf[machine.Id] = server.MachineId;
        // The bridge standing in for mcp-proxy wants its own secret; the machine's front adds it, as if it were one process.
        machine.UpstreamHeaders = _servers.Upstream(server.MachineId).RequiredHeaders;
        return server.UpstreamBaseUrl;
    }

    private async Task StopServerAsync(FakeMachine machine, CancellationToken cancellationToken)
    {
        if (_serverOf.TryRemove(machine.Id, out var server))
        {
            await _servers!.Runtime.DestroyAsync(server, cancellationToken);
        }
    }

    private static string ReadInstalledVersion()
    {
        var manifest = Path.Combine(McpServerPackages.Directory, "node_modules", McpServerPackages.Everything, "package.json");
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.GetProperty("version").GetString()!;
    }
}
