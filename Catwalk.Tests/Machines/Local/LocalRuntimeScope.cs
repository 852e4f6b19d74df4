using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace Catwalk.Tests.Machines.Local;

/// <summary>A real local runtime whose servers run from the installed test packages, disposed (with its processes) at the end.</summary>
internal sealed class LocalRuntimeScope : IAsyncDisposable
{
    private readonly string _sandboxDirectory = Path.Combine(Path.GetTempPath(), "catwalk-sandboxes-" + Guid.NewGuid().ToString("N")[..12]);

    public LocalRuntimeScope(Action<LocalRuntimeOptions>? configure = null, Action<LocalSandboxOptions>? configureSandbox = null)
    {
        Options = new LocalRuntimeOptions
        {
            WorkingDirectory = McpServerPackages.Directory,
            RestartBackoff = TimeSpan.FromMilliseconds(200),
            MaxRestartBackoff = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(Options);
        // The sandbox the app uses by default (bubblewrap), with its homes in a folder of this scope's own.
        SandboxOptions = new LocalSandboxOptions { BwrapPath = "/usr/bin/bwrap", Directory = _sandboxDirectory };
        configureSandbox?.Invoke(SandboxOptions);
        Runtime = new LocalMachineRuntime(Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(SandboxOptions), NullLoggerFactory.Instance);
    }

    public LocalRuntimeOptions Options { get; }

    public LocalSandboxOptions SandboxOptions { get; }

    public LocalMachineRuntime Runtime { get; }

    public static MachineSpec Everything(IReadOnlyDictionary<string, string>? environment = null) =>
        new(Guid.NewGuid(), McpServerPackages.Everything, PackageRuntime.Npm, null, environment ?? new Dictionary<string, string>());

    public static MachineSpec Misbehaving(IReadOnlyDictionary<string, string>? environment = null) =>
        new(Guid.NewGuid(), McpServerPackages.Misbehaving, PackageRuntime.Npm, null, environment ?? new Dictionary<string, string>());

    /// <summary>Provisions the spec and waits until its server answered initialize.</summary>
    public async Task<MachineInfo> ProvisionHealthyAsync(MachineSpec spec)
    {
        var machine = await Runtime.ProvisionAsync(spec, TestContext.Current.CancellationToken);
        return await WaitForAsync(machine.MachineId, info => info is { State: MachineState.Started, Health: MachineHealth.Healthy }, "the server is healthy");
    }

    public async Task<MachineInfo> WaitForAsync(string machineId, Func<MachineInfo, bool> accept, string what) =>
        (await Eventually.ReturnsAsync(
            () => Runtime.InspectAsync(machineId, TestContext.Current.CancellationToken),
            info => info is not null && accept(info),
            $"{machineId}: {what}"))!;

    /// <summary>The machine's upstream as the forwarder sees it (base URL and the secret it must send).</summary>
    public MachineUpstream Upstream(string machineId) =>
        Runtime.TryGetUpstream(machineId, out var upstream) ? upstream : throw new InvalidOperationException($"The runtime has no machine {machineId}.");

    /// <summary>An MCP SDK client over Streamable HTTP against the machine's <c>/mcp</c>.</summary>
    public static async Task<McpClient> ConnectAsync(MachineUpstream upstream, string? protocolVersion = "2025-11-25", McpClientHandlers? handlers = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(upstream.BaseUrl, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            // What the forwarder adds: the machine's secret.
            AdditionalHeaders = upstream.RequiredHeaders.ToDictionary(),
        }, NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion, Handlers = handlers ?? new McpClientHandlers() }, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        if (Directory.Exists(_sandboxDirectory))
        {
            Directory.Delete(_sandboxDirectory, recursive: true);
        }
    }
}
