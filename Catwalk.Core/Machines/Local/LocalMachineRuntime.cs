using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The embedded runtime: each deployment's stdio MCP server runs as a child process of this host, behind a
/// Streamable HTTP bridge on a loopback port (<see cref="McpBridge"/>). Machines live as long as this
/// process: after a restart <see cref="InspectAsync"/> returns null and the lifecycle provisions them again.
/// </summary>
public sealed partial class LocalMachineRuntime : IMachineRuntime, IAsyncDisposable
{
    private readonly LocalRuntimeOptions _options;
    private readonly ServerSandbox _sandbox;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, LocalMachine> _machines = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _provisioning = new(1, 1);
    private int _disposed;

    public LocalMachineRuntime(IOptions<LocalRuntimeOptions> options, IOptions<LocalSandboxOptions> sandbox, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalMachineRuntime>();
        _sandbox = new ServerSandbox(sandbox.Value, loggerFactory.CreateLogger<ServerSandbox>());
        AppDomain.CurrentDomain.ProcessExit += KillAllOnProcessExit;
    }

    public RuntimeKind Kind => RuntimeKind.Local;

    public async Task<MachineInfo> ProvisionAsync(MachineSpec spec, CancellationToken cancellationToken)
    {
        // Refused before anything starts: package, version and credential names must follow the rules.
        ServerCommandLine.Validate(spec);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var machineId = LocalMachineId.For(spec.DeploymentId);
        await _provisioning.WaitAsync(cancellationToken);
        try
        {
            if (_machines.TryGetValue(machineId, out var existing))
            {
                if (SameSpec(existing.Spec, spec))
                {
                    await existing.StartAsync(cancellationToken);
                }
                else
                {
                    await existing.UpdateAsync(spec, cancellationToken);
                }

                return existing.Snapshot();
            }

            var machine = await LocalMachine.CreateAsync(spec, _options, _sandbox, _loggerFactory, cancellationToken);
            _machines[machineId] = machine;
            LogProvisioned(_logger, machineId, machine.BaseUrl);
            await machine.StartAsync(cancellationToken);
            return machine.Snapshot();
        }
        finally
        {
            _provisioning.Release();
        }
    }

    public async Task<MachineInfo> UpdateAsync(string machineId, MachineSpec spec, CancellationToken cancellationToken)
    {
        ServerCommandLine.Validate(spec);
        var machine = Find(machineId) ?? throw Unknown(machineId);
        if (machine.Spec.DeploymentId != spec.DeploymentId)
        {
            throw new ArgumentException($"Machine '{machineId}' belongs to another deployment.", nameof(spec));
        }

        await machine.UpdateAsync(spec, cancellationToken);
        return machine.Snapshot();
    }

    public Task StartAsync(string machineId, CancellationToken cancellationToken) =>
        (Find(machineId) ?? throw Unknown(machineId)).StartAsync(cancellationToken);

    public Task StopAsync(string machineId, CancellationToken cancellationToken) =>
        (Find(machineId) ?? throw Unknown(machineId)).StopAsync(cancellationToken);

    public async Task DestroyAsync(string machineId, CancellationToken cancellationToken)
    {
        if (_machines.TryRemove(machineId, out var machine))
        {
            await machine.DisposeAsync();
            _sandbox.Remove(machineId);
        }
    }

    public Task<MachineInfo?> InspectAsync(string machineId, CancellationToken cancellationToken) =>
        Task.FromResult(Find(machineId)?.Snapshot());

    public Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MachineInfo>>(_machines.Values.Select(machine => machine.Snapshot()).OrderBy(info => info.MachineId, StringComparer.Ordinal).ToList());

    public bool TryGetUpstream(string machineId, [NotNullWhen(true)] out MachineUpstream? upstream)
    {
        upstream = Find(machineId)?.Upstream;
        return upstream is not null;
    }

    public Task<IReadOnlyList<string>> GetLogTailAsync(string machineId, int lines, CancellationToken cancellationToken) =>
        Task.FromResult(Find(machineId)?.LogTail(lines) ?? []);

    /// <summary>The root process (npx or uvx) of the machine's running server, for tests and diagnostics.</summary>
    internal int? GetServerProcessId(string machineId) => Find(machineId)?.ServerProcessId;

    /// <summary>Stops every server process tree and bridge (host shutdown).</summary>
    public async Task StopAllAsync()
    {
        var machines = _machines.Values.ToList();
        _machines.Clear();
        await Task.WhenAll(machines.Select(machine => machine.DisposeAsync().AsTask()));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= KillAllOnProcessExit;
        await StopAllAsync();
        _provisioning.Dispose();
    }

    private LocalMachine? Find(string machineId) => _machines.GetValueOrDefault(machineId);

    private static MachineRuntimeException Unknown(string machineId) =>
        new(machineId, $"The local runtime has no machine {machineId}: it ended with a restart of Catwalk or was destroyed.");

    private void KillAllOnProcessExit(object? sender, EventArgs e)
    {
        foreach (var machine in _machines.Values)
        {
            machine.KillServer();
        }
    }

    private static bool SameSpec(MachineSpec current, MachineSpec wanted) =>
        current.Package == wanted.Package
        && current.Runtime == wanted.Runtime
        && current.Version == wanted.Version
        && current.Environment.Count == wanted.Environment.Count
        && current.Environment.All(pair => wanted.Environment.TryGetValue(pair.Key, out var value) && value == pair.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local machine {MachineId} provisioned; its bridge listens on {BaseUrl}.")]
    private static partial void LogProvisioned(ILogger logger, string machineId, Uri baseUrl);
}
