using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// One deployment's local machine: its bridge (listening from provisioning until destroyed) and a supervisor
/// that runs the stdio server, hands it to the bridge once it answered initialize, and restarts it with
/// backoff when it exits, until it has crashed too often in a row (Failed, with the reason and the output tail).
/// A server that never answered initialize since it was (re)started is not restarted: it fails at once (it exited,
/// opened a listening port, or said nothing on stdout within the initialize timeout), because restarting it would
/// fail the same way.
/// </summary>
internal sealed partial class LocalMachine : IAsyncDisposable
{
    private const int DetailOutputLines = 15;
    private static readonly TimeSpan PortCheckInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(5);

    private readonly LocalRuntimeOptions _options;
    private readonly ServerSandbox _sandbox;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly UpstreamGate _upstream;
    private readonly McpProxy _proxy;
    private readonly OutputTail _stderr;
    private int _starts;
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly Lock _stateGate = new();
    private McpBridge? _bridge;
    private MachineSpec _spec;
    private MachineState _state = MachineState.Created;
    private MachineHealth _health = MachineHealth.Unknown;
    private string? _detail;
    private DateTimeOffset? _startedAt;
    private CancellationTokenSource? _run;
    private Task _supervisor = Task.CompletedTask;
    private volatile McpServerProcess? _process;
    private bool _everAttached;

    private LocalMachine(MachineSpec spec, LocalRuntimeOptions options, ServerSandbox sandbox, ILoggerFactory loggerFactory)
    {
        _spec = spec;
        _options = options;
        _sandbox = sandbox;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalMachine>();
        _upstream = new UpstreamGate(options.RequestReadyTimeout);
        _proxy = new McpProxy(_upstream, loggerFactory.CreateLogger<McpProxy>());
        _stderr = new OutputTail(options.LogTailLines, new HostPathScrubber(options.WorkingDirectory));
        Id = LocalMachineId.For(spec.DeploymentId);
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The bridge's secret: the forwarder sends it on <c>/mcp</c> (see <see cref="MachineSecret"/>).</summary>
    public string Secret { get; } = MachineSecret.Generate();

    public Uri BaseUrl => _bridge?.BaseUrl ?? throw new InvalidOperationException("The machine's bridge is not running.");

    /// <summary>Where the forwarder reaches the bridge: its loopback URL, through the in-process channel.</summary>
    public MachineUpstream Upstream { get; private set; } = null!;

    public MachineSpec Spec
    {
        get
        {
            lock (_stateGate)
            {
                return _spec;
            }
        }
    }

    /// <summary>The root of the current server process tree (npx or uvx), while one runs.</summary>
    public int? ServerProcessId => _process?.Id;

    public static async Task<LocalMachine> CreateAsync(MachineSpec spec, LocalRuntimeOptions options, ServerSandbox sandbox, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var machine = new LocalMachine(spec, options, sandbox, loggerFactory);
        machine._bridge = await McpBridge.StartAsync(machine._proxy, machine._upstream, machine.Secret, loggerFactory, cancellationToken);
        // The forwarder adds the machine's secret, which the bridge demands on /mcp, to everything it sends.
        machine.Upstream = new MachineUpstream(machine._bridge.BaseUrl,
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [MachineSecret.HeaderName] = machine.Secret }, machine._bridge.InProcess);
        return machine;
    }

    public IReadOnlyList<string> LogTail(int lines) => _stderr.Last(lines);

    /// <summary>The machine as it is now: the runtime watches its processes directly, so this is its last check.</summary>
    public MachineInfo Snapshot()
    {
        lock (_stateGate)
        {
            return new MachineInfo(Id, _spec.DeploymentId, RuntimeKind.Local, _state, _health, "local", BaseUrl, _startedAt,
                DateTimeOffset.UtcNow, CreatedAt, _detail);
        }
    }

    /// <summary>Starts the server unless it is already running (or restarting).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            if (_supervisor.IsCompleted)
            {
                Launch();
            }
        }
        finally
        {
            _control.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            await HaltAsync();
            SetState(MachineState.Stopped, MachineHealth.Unknown, null, startedAt: null);
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Runs the server again with a new spec (version or credentials).</summary>
    public async Task UpdateAsync(MachineSpec spec, CancellationToken cancellationToken)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            await HaltAsync();
            lock (_stateGate)
            {
                _spec = spec;
            }

            Launch();
        }
        finally
        {
            _control.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _control.WaitAsync();
        try
        {
            SetState(MachineState.Destroying, MachineHealth.Unknown, null, startedAt: null);
            await HaltAsync();
            if (_bridge is not null)
            {
                await _bridge.DisposeAsync();
            }

            SetState(MachineState.Destroyed, MachineHealth.Unknown, null, startedAt: null);
            _proxy.Dispose();
            _run?.Dispose();
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Last resort when the host process exits without disposing: leave no server behind.</summary>
    public void KillServer() => _process?.KillTree();

    private void Launch()
    {
        _run?.Dispose();
        _run = new CancellationTokenSource();
        SetState(MachineState.Starting, MachineHealth.Unknown, null, startedAt: null);
        var stop = _run.Token;
        _supervisor = Task.Run(() => SuperviseAsync(stop), CancellationToken.None);
    }

    private async Task HaltAsync()
    {
        if (_run is null || _supervisor.IsCompleted)
        {
            return;
        }

        lock (_stateGate)
        {
            if (_state is not MachineState.Destroying)
            {
                _state = MachineState.Stopping;
            }
        }

        await _run.CancelAsync();
        await _supervisor;
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var crashesInARow = 0;
        var answeredSinceLaunch = false;
        while (true)
        {
            var outcome = await RunOnceAsync(stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            _upstream.MarkCrashed(outcome.Reason);
            answeredSinceLaunch |= outcome.Answered;

            // Installs and start-up count as start-up, not as a stable run: only time after initialize counts.
            crashesInARow = outcome.RanFor >= _options.StableRunTime ? 1 : crashesInARow + 1;
            if (!answeredSinceLaunch || crashesInARow >= _options.MaxConsecutiveCrashes)
            {
                var tail = _stderr.Last(DetailOutputLines);
                var detail = $"{outcome.Reason} {(crashesInARow == 1 ? "It" : $"It crashed {crashesInARow} times in a row, so it")} is no longer restarted."
                    + (tail.Count == 0 ? " It wrote nothing to stderr or stdout." : $"{System.Environment.NewLine}Last lines of its output:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, tail)}");
                SetState(MachineState.Failed, MachineHealth.Unhealthy, detail, startedAt: null);
                LogServerFailed(_logger, Id, crashesInARow);
                return;
            }

            var delay = Backoff(crashesInARow);
            SetState(MachineState.Starting, MachineHealth.Unhealthy,
                $"{outcome.Reason} Restarting in {delay.TotalSeconds:0.#} s (crash {crashesInARow} of at most {_options.MaxConsecutiveCrashes} in a row).",
                startedAt: null);
            LogServerRestarting(_logger, Id, delay.TotalSeconds, crashesInARow);
            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan Backoff(int crashesInARow)
    {
        var delay = _options.RestartBackoff * Math.Pow(2, Math.Min(crashesInARow - 1, 20));
        return delay < _options.MaxRestartBackoff ? delay : _options.MaxRestartBackoff;
    }

    /// <summary>One run of the server, from start to exit (or stop). Never throws.</summary>
    private async Task<RunOutcome> RunOnceAsync(CancellationToken stop)
    {
        var spec = Spec;
        // Separates this run's output from the previous crash's in the log and in a failure's output.
        _stderr.Add(ServerOutput.StartMarker(++_starts, DateTimeOffset.UtcNow));
        McpServerProcess process;
        try
        {
            var launch = _sandbox.Prepare(Id, ServerCommandLine.For(spec, _options), _options.WorkingDirectory,
                ChildProcessEnvironment.Build(System.Environment.GetEnvironmentVariables(), spec.Environment));
            process = await McpServerProcess.StartAsync(launch.CommandLine, launch.WorkingDirectory, launch.Environment, _stderr);
            LogServerStarted(_logger, Id, spec.Package, process.Id);
        }
        catch (Exception exception) when (exception is Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
        {
            return new RunOutcome($"The server could not be started: {exception.Message}.", TimeSpan.Zero, Answered: false);
        }

        _process = process;
        McpClient? client = null;
        Exception? failure = null;
        DateTimeOffset? answeredAt = null;
        string? listening = null;
        // Start-up ends early when the process exits or opens a listening port: neither will ever answer on stdio.
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _ = process.Exited.ContinueWith(_ => CancelQuietly(startup), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var portWatch = WatchForListeningPortAsync(process.Id, port => listening = port, startup);
        try
        {
            var transport = new ReadOrderTransport(new StreamClientTransport(process.Input, process.Output, _loggerFactory), _proxy.ObserveUpstreamMessage);
            client = await McpClient.CreateAsync(transport, ClientOptions(), _loggerFactory, startup.Token);
            await _proxy.AttachAsync(client, restarted: _everAttached, stop);
            answeredAt = DateTimeOffset.UtcNow;
            _everAttached = true;
            await startup.CancelAsync(); // Ends the port watch; stop still ends the run.
            SetState(MachineState.Started, MachineHealth.Healthy, null, startedAt: answeredAt);
            await Task.WhenAny(process.Exited, client.Completion, Task.Delay(Timeout.Infinite, stop));
        }
        catch (Exception exception)
        {
            // When stopping, whatever the kill caused is expected.
            failure = stop.IsCancellationRequested ? null : exception;
        }
        finally
        {
            await startup.CancelAsync();
            await portWatch;
            _upstream.Close();
            process.KillTree();
            if (client is not null)
            {
                try
                {
                    await client.DisposeAsync();
                }
                catch (Exception exception)
                {
                    LogClientDisposeFailed(_logger, Id, exception);
                }
            }

            await Task.WhenAny(process.Exited, Task.Delay(ReapTimeout, CancellationToken.None));
            _process = null;
            process.Dispose();
        }

        var ranFor = answeredAt is { } since ? DateTimeOffset.UtcNow - since : TimeSpan.Zero;
        if (stop.IsCancellationRequested)
        {
            return new RunOutcome("Stopped.", ranFor, answeredAt is not null);
        }

        var exitCode = process.Exited.IsCompletedSuccessfully ? process.Exited.Result : (int?)null;
        var reason = failure switch
        {
            _ when listening is not null =>
                $"The server did not speak MCP on stdio: it opened a listening port ({listening}) instead; it may need an argument such as `--stdio`.",
            TimeoutException =>
                $"The server did not speak MCP on stdio; it may need an argument such as `--stdio` (no answer to initialize within {_options.InitializeTimeout.TotalSeconds:0} s).",
            _ when exitCode is not null => $"The server exited with code {exitCode}{(answeredAt is not null ? "" : " before answering initialize")}.",
            null => "The server closed its connection.",
            _ => $"The server failed: {failure.Message}",
        };
        LogServerExited(_logger, Id, exitCode);
        return new RunOutcome(reason, ranFor, answeredAt is not null);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }

    /// <summary>Until start-up ends, looks for a listening TCP port in the server's process tree; reports the first.</summary>
    private static async Task WatchForListeningPortAsync(int rootPid, Action<string> found, CancellationTokenSource startup)
    {
        try
        {
            while (!startup.IsCancellationRequested)
            {
                await Task.Delay(PortCheckInterval, startup.Token);
                if (ListeningPorts.Of(rootPid) is [_, ..] ports)
                {
                    found("TCP " + string.Join(", ", ports));
                    await startup.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Start-up ended.
        }
    }

    private McpClientOptions ClientOptions() => new()
    {
        ClientInfo = new Implementation { Name = "catwalk-local-bridge", Version = typeof(LocalMachine).Assembly.GetName().Version?.ToString() ?? "1.0.0" },
        InitializationTimeout = _options.InitializeTimeout,
        Capabilities = McpProxy.UpstreamClientCapabilities,
        Handlers = new McpClientHandlers
        {
            NotificationHandlers = _proxy.UpstreamNotificationHandlers,
#pragma warning disable MCP9005 // Sampling is deprecated by 2026-07-28 but still in use.
            SamplingHandler = _proxy.SampleAsync,
#pragma warning restore MCP9005
            ElicitationHandler = _proxy.ElicitAsync,
        },
    };

    private void SetState(MachineState state, MachineHealth health, string? detail, DateTimeOffset? startedAt)
    {
        lock (_stateGate)
        {
            _state = state;
            _health = health;
            _detail = detail;
            _startedAt = startedAt;
        }
    }

    /// <param name="RanFor">How long it ran after answering initialize (zero when it never answered).</param>
    private sealed record RunOutcome(string Reason, TimeSpan RanFor, bool Answered);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineId} started {Package} as process {ProcessId}.")]
    private static partial void LogServerStarted(ILogger logger, string machineId, string package, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineId}: the server process ended (exit code {ExitCode}).")]
    private static partial void LogServerExited(ILogger logger, string machineId, int? exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Machine {MachineId}: restarting the server in {DelaySeconds} s (crash {Crashes} in a row).")]
    private static partial void LogServerRestarting(ILogger logger, string machineId, double delaySeconds, int crashes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Machine {MachineId} failed: the server crashed {Crashes} times in a row.")]
    private static partial void LogServerFailed(ILogger logger, string machineId, int crashes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Machine {MachineId}: closing the client of an ended server run failed.")]
    private static partial void LogClientDisposeFailed(ILogger logger, string machineId, Exception exception);
}
