using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// Runs deployments on Fly Machines in <c>FLY_MCP_APP_NAME</c>, from <c>FLY_MCP_IMAGE</c> (mcp-proxy in front of the
/// stdio server), reached at <c>FLY_MACHINE_URL_TEMPLATE</c>. Never makes two machines for one deployment: the
/// machine's name is deterministic and is looked up before every create.
/// </summary>
public sealed partial class FlyMachineRuntime(
    FlyMachinesClient fly,
    FlyMachineSecrets secrets,
    IOptions<FlyRuntimeOptions> options,
    TimeProvider time,
    ILogger<FlyMachineRuntime> logger) : IMachineRuntime
{
    private const int CreateAttempts = 3;
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    // The machines' private network, shared by every machine's upstream.
    private static readonly SocketsHttpHandler MachineNetwork = MachineNetworkHandler.Create();

    // The machines this instance made or looked at, each with its upstream, whose channel adds the machine's current
    // secret to every request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MachineUpstream> _upstreams = new(StringComparer.Ordinal);

    private FlyRuntimeOptions Options => options.Value;

    public RuntimeKind Kind => RuntimeKind.Fly;

    /// <summary>
    /// Finds or creates the deployment's machine and asks Fly to start it if it is stopped; returns once Fly accepted
    /// that, without waiting for <c>started</c> or <c>/status</c>: the lifecycle alone waits for health, watching the
    /// machine's state. Throws only when no machine exists (the create failed for certain); once a machine exists it
    /// returns it, as <see cref="MachineState.Failed"/> with a <see cref="MachineInfo.Detail"/> saying why when the start
    /// was refused, so the caller always learns the machine id.
    /// </summary>
    public async Task<MachineInfo> ProvisionAsync(MachineSpec spec, CancellationToken cancellationToken)
    {
        var machine = await FindOrCreateAsync(spec, cancellationToken);
        await AdoptSecretAsync(machine, cancellationToken);
        return await AskToStartAsync(machine, cancellationToken);
    }

    /// <summary>Sends the new config (never blindly retried: a lost answer is resolved by reading the machine's
    /// revision back); Fly replaces the machine's instance and starts it. Returns once accepted.</summary>
    public async Task<MachineInfo> UpdateAsync(string machineId, MachineSpec spec, CancellationToken cancellationToken)
    {
        var revision = Guid.NewGuid().ToString("N");
        // A redeploy rotates the machine's secret: whoever learnt the old one (a previous server) cannot use it.
        var secret = MachineSecret.Generate();
        var config = FlyMachineConfigs.For(spec, Options, revision, secret);
        var current = await fly.GetAsync(machineId, cancellationToken);
        if (current is null || FlyMachineStates.IsGone(current.State))
        {
            throw Vanished(machineId);
        }

        // Settings Catwalk does not manage (added by Fly or an operator) are sent back unchanged, as flyctl does.
        var request = new FlyUpdateMachineRequest(config with { Other = current.Config?.Other });
        FlyMachine machine;
        try
        {
            machine = await fly.UpdateAsync(machineId, request, cancellationToken);
        }
        catch (FlyApiException ex) when (ex.MayHaveBeenApplied && ex is not FlyApiUnavailableException)
        {
            LogAnswerLost(logger, "update", machineId);
            var after = await fly.GetAsync(machineId, cancellationToken);
            if (after?.Metadata(FlyMachineNaming.RevisionKey) != revision)
            {
                throw;
            }

            machine = after;
        }

        await secrets.IssueAsync(machineId, spec.DeploymentId, secret, cancellationToken);
        LogUpdated(logger, machineId, spec.DeploymentId);
        return await AskToStartAsync(machine, cancellationToken);
    }

    /// <summary>Asks Fly to start the machine unless it is already starting or started; returns once accepted.</summary>
    public async Task StartAsync(string machineId, CancellationToken cancellationToken)
    {
        var machine = await fly.GetAsync(machineId, cancellationToken);
        if (machine is null || FlyMachineStates.IsGone(machine.State))
        {
            throw Vanished(machineId);
        }

        if (machine.State is "stopped" or "suspended" or "created")
        {
            await StartTolerantlyAsync(machineId, cancellationToken);
        }
    }

    public async Task StopAsync(string machineId, CancellationToken cancellationToken)
    {
        var machine = await fly.GetAsync(machineId, cancellationToken);
        if (machine is null || FlyMachineStates.IsGone(machine.State))
        {
            throw Vanished(machineId);
        }

        if (machine.State is "stopped" or "suspended")
        {
            return;
        }

        try
        {
            await fly.StopAsync(machineId, cancellationToken);
        }
        catch (FlyApiException ex) when (ex.StatusCode is not null && (int)ex.StatusCode < 500 && ex.StatusCode != HttpStatusCode.TooManyRequests)
        {
            // Stopping a machine that is already stopping or stopped is refused; what matters is where it ends up.
            if ((await fly.GetAsync(machineId, cancellationToken))?.State is not ("stopping" or "stopped" or "suspended"))
            {
                throw;
            }
        }

        var deadline = time.GetUtcNow() + Options.StopTimeout;
        while (!await fly.WaitAsync(machineId, "stopped", Chunk(deadline), instanceId: null, cancellationToken))
        {
            var current = await fly.GetAsync(machineId, cancellationToken) ?? throw Vanished(machineId);
            if (current.State is "stopped" or "suspended")
            {
                break;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new MachineRuntimeException(machineId,
                    $"Fly machine {machineId} did not stop within {Options.StopTimeout} (it is {current.State}).");
            }
        }

        LogStopped(logger, machineId);
    }

    public async Task DestroyAsync(string machineId, CancellationToken cancellationToken)
    {
        var destroyed = await fly.DestroyAsync(machineId, force: true, cancellationToken);
        _upstreams.TryRemove(machineId, out _);
        await secrets.ForgetAsync(machineId, cancellationToken);
        LogDestroyed(logger, machineId, destroyed);
    }

    public async Task<MachineInfo?> InspectAsync(string machineId, CancellationToken cancellationToken)
    {
        var machine = await fly.GetAsync(machineId, cancellationToken);
        if (machine is null || FlyMachineStates.IsGone(machine.State))
        {
            _upstreams.TryRemove(machineId, out _);
            return null;
        }

        await AdoptSecretAsync(machine, cancellationToken);
        return ToInfo(machine);
    }

    public async Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken cancellationToken)
    {
        // The MCP app is Catwalk's: every machine in it is Catwalk's, tagged or not (untagged ones are orphans).
        var machines = await fly.ListAsync(null, cancellationToken);
        return machines.Where(m => !FlyMachineStates.IsGone(m.State)).Select(ToInfo).ToList();
    }

    /// <summary>The machine's URL and a channel that adds its secret, read from the database when each request is sent
    /// (<see cref="FlyMachineSecrets"/>), so the forwarder needs no header of its own for Fly machines.</summary>
    public bool TryGetUpstream(string machineId, [NotNullWhen(true)] out MachineUpstream? upstream)
    {
        // Only machines this instance made or has looked at (an inspection, a list) are known: after a restart the caller
        // inspects the machine first.
        return _upstreams.TryGetValue(machineId, out upstream);
    }

    /// <summary>
    /// A machine made by an attempt whose answer was lost (or whose secret could not be stored) has a secret in its
    /// config that the database lacks: it is stored from there, so the forwarder can reach the machine. A secret the
    /// database already holds is never replaced from a config read earlier (it may predate a rotation).
    /// </summary>
    private async Task AdoptSecretAsync(FlyMachine machine, CancellationToken cancellationToken)
    {
        if (machine.Config?.Env?.GetValueOrDefault(FlyMachineConfigs.MachineSecretVariable) is not { Length: > 0 } secret
            || FlyMachineNaming.DeploymentOf(machine) is not { } deploymentId)
        {
            return;
        }

        try
        {
            if (await secrets.GetAsync(machine.Id, cancellationToken) is null)
            {
                await secrets.IssueAsync(machine.Id, deploymentId, secret, cancellationToken);
                LogSecretAdopted(logger, machine.Id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Inspecting the machine matters more than its secret: the next inspection tries again.
            LogSecretNotStored(logger, machine.Id, ex.GetType().Name);
        }
    }

    private Uri UpstreamBaseUrl(string machineId) =>
        FlyUpstreamUrls.For(Options.MachineUrlTemplate, machineId, Options.AppName ?? "");

    /// <summary>Fly keeps the server's output in its log service, not the Machines API: this is the machine's event log
    /// (starts, exits with their codes), which is what explains a crash.</summary>
    public async Task<IReadOnlyList<string>> GetLogTailAsync(string machineId, int lines, CancellationToken cancellationToken)
    {
        var machine = await fly.GetAsync(machineId, cancellationToken);
        return machine is null ? [] : FlyMachineStates.EventLines(machine, lines);
    }

    /// <summary>
    /// Looks the deployment's machine up and creates it only when there is none. A create answered 429 (rate limited)
    /// or 503 (nothing made) is tried again after the API's <c>Retry-After</c> (else a short backoff) as long as the
    /// call's deadline (<c>FLY_API_TOTAL_TIMEOUT</c>) allows; a create whose answer was lost is looked up, never repeated blindly.
    /// </summary>
    private async Task<FlyMachine> FindOrCreateAsync(MachineSpec spec, CancellationToken cancellationToken)
    {
        var name = FlyMachineNaming.NameFor(spec.DeploymentId);
        var deadline = time.GetUtcNow() + Options.Resilience.TotalTimeout;
        FlyApiException? lastError = null;
        var refusals = 0;
        for (var attempt = 1; attempt <= CreateAttempts; attempt++)
        {
            if (await FindAsync(spec.DeploymentId, name, cancellationToken) is { } existing)
            {
                LogReusing(logger, existing.Id, spec.DeploymentId, existing.State);
                return existing;
            }

            var revision = Guid.NewGuid().ToString("N");
            var secret = MachineSecret.Generate();
            var request = new FlyCreateMachineRequest(name, Options.Region, FlyMachineConfigs.For(spec, Options, revision, secret));
            try
            {
                var created = await fly.CreateAsync(request, cancellationToken);
                await TryStoreSecretAsync(created.Id, spec.DeploymentId, secret, cancellationToken);
                LogCreated(logger, created.Id, spec.DeploymentId, created.Region ?? "?");
                return created;
            }
            catch (FlyApiException ex) when (IsRefusedForNow(ex) && time.GetUtcNow() + RetryDelay(ex, ++refusals) < deadline)
            {
                // Nothing was made (429 applies nothing; the look-up above runs again before the next create in case a
                // 503 did): wait as asked, within the call's deadline. Refusals do not use up the create attempts.
                var delay = RetryDelay(ex, refusals);
                LogCreateRefused(logger, name, (int)ex.StatusCode!, delay);
                await Task.Delay(delay, time, cancellationToken);
                lastError = ex;
                attempt--;
            }
            catch (FlyApiException ex) when (ex.MayHaveBeenApplied && ex is not FlyApiUnavailableException)
            {
                // The answer was lost: the machine may exist. Look it up before creating again.
                LogAnswerLost(logger, "create", name);
                lastError = ex;
            }
            catch (FlyApiException ex) when (IsNameTaken(ex))
            {
                // Another create with this name won (or the lost one landed meanwhile): look it up.
                lastError = ex;
            }
        }

        // The last lookup, after the last attempt.
        if (await FindAsync(spec.DeploymentId, name, cancellationToken) is { } found)
        {
            return found;
        }

        throw new FlyApiException($"Could not create the Fly machine for deployment {spec.DeploymentId}: {lastError?.Message}",
            lastError?.StatusCode, mayHaveBeenApplied: false, lastError);
    }

    /// <summary>The machine exists: a database hiccup (or its deployment deleted meanwhile) must not lose its id or fail
    /// an inspection; the next inspection stores the secret from the machine's config instead.</summary>
    private async Task<bool> TryStoreSecretAsync(string machineId, Guid deploymentId, string secret, CancellationToken cancellationToken)
    {
        try
        {
            await secrets.IssueAsync(machineId, deploymentId, secret, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSecretNotStored(logger, machineId, ex.GetType().Name);
            return false;
        }
    }

    private static bool IsRefusedForNow(FlyApiException ex) =>
        ex is not FlyApiUnavailableException && ex.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    /// <summary>The API's Retry-After when it gave one, else the resilience delay doubled per refusal.</summary>
    private TimeSpan RetryDelay(FlyApiException ex, int refusals) =>
        ex.RetryAfter is { } asked && asked > TimeSpan.Zero
            ? asked
            : Options.Resilience.RetryDelay * Math.Pow(2, Math.Min(refusals - 1, 6));

    private async Task<FlyMachine?> FindAsync(Guid deploymentId, string name, CancellationToken cancellationToken)
    {
        var tagged = await fly.ListAsync(
            new Dictionary<string, string> { [FlyMachineNaming.DeploymentKey] = deploymentId.ToString() }, cancellationToken);
        return tagged
            .Where(m => !FlyMachineStates.IsGone(m.State) && FlyMachineNaming.DeploymentOf(m) == deploymentId)
            .OrderByDescending(m => m.Name == name)
            .ThenBy(m => m.CreatedAt)
            .FirstOrDefault();
    }

    private static bool IsNameTaken(FlyApiException ex) =>
        ex.StatusCode == HttpStatusCode.Conflict ||
        (ex.StatusCode == HttpStatusCode.UnprocessableEntity && ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase));

    /// <summary>A machine that exists, asked to start when it is stopped: as it is now, or Failed with the reason when
    /// the start was refused (it exists, so the caller learns its id either way).</summary>
    private async Task<MachineInfo> AskToStartAsync(FlyMachine machine, CancellationToken cancellationToken)
    {
        try
        {
            if (machine.State is "stopped" or "suspended")
            {
                await StartTolerantlyAsync(machine.Id, cancellationToken);
                machine = await fly.GetAsync(machine.Id, cancellationToken) ?? throw Vanished(machine.Id);
            }

            return ToInfo(machine);
        }
        catch (FlyApiException ex)
        {
            return ToInfo(machine) with { State = MachineState.Failed, Health = MachineHealth.Unhealthy, Detail = ex.Message };
        }
    }

    /// <summary>Starts the machine; a refusal because it is already starting or started is not a failure.</summary>
    private async Task StartTolerantlyAsync(string machineId, CancellationToken cancellationToken)
    {
        try
        {
            await fly.StartAsync(machineId, cancellationToken);
        }
        catch (FlyApiException ex) when (ex.StatusCode is not null && (int)ex.StatusCode < 500 && ex.StatusCode != HttpStatusCode.TooManyRequests)
        {
            if ((await fly.GetAsync(machineId, cancellationToken))?.State is not ("starting" or "started" or "replacing"))
            {
                throw;
            }
        }
    }

    private TimeSpan Chunk(DateTimeOffset deadline)
    {
        var remaining = deadline - time.GetUtcNow();
        return remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining < Options.WaitChunk ? remaining : Options.WaitChunk;
    }

    private static MachineRuntimeException Vanished(string machineId) =>
        new(machineId, $"Fly machine {machineId} no longer exists (destroyed outside Catwalk?).");

    private MachineInfo ToInfo(FlyMachine machine)
    {
        _upstreams.GetOrAdd(machine.Id, NewUpstream);
        return Describe(machine);
    }

    private MachineUpstream NewUpstream(string machineId) => new(UpstreamBaseUrl(machineId), NoHeaders)
    {
        Channel = new HttpMessageInvoker(new FlyMachineSecretHandler(machineId, secrets) { InnerHandler = MachineNetwork }, disposeHandler: false),
    };

    private MachineInfo Describe(FlyMachine machine) => new(
        machine.Id,
        FlyMachineNaming.DeploymentOf(machine),
        RuntimeKind.Fly,
        FlyMachineStates.ToMachineState(machine.State),
        FlyMachineStates.HealthOf(machine),
        machine.Region,
        UpstreamBaseUrl(machine.Id),
        FlyMachineStates.StartedAt(machine),
        FlyMachineStates.LastCheckedAt(machine),
        machine.CreatedAt,
        FlyMachineStates.DetailOf(machine))
    {
        HealthPath = FlyMachineConfigs.HealthPath,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Fly machine {MachineId} for deployment {DeploymentId} in {Region}")]
    private static partial void LogCreated(ILogger logger, string machineId, Guid deploymentId, string region);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing Fly machine {MachineId} ({State}) for deployment {DeploymentId}")]
    private static partial void LogReusing(ILogger logger, string machineId, Guid deploymentId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer to a Fly {Operation} for {Target} was lost; looking before trying again")]
    private static partial void LogAnswerLost(ILogger logger, string operation, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating Fly machine {Name} was refused for now ({StatusCode}); trying again in {Delay}")]
    private static partial void LogCreateRefused(ILogger logger, string name, int statusCode, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated Fly machine {MachineId} for deployment {DeploymentId}")]
    private static partial void LogUpdated(ILogger logger, string machineId, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fly machine {MachineId}'s secret was stored from its config: the database had none")]
    private static partial void LogSecretAdopted(ILogger logger, string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fly machine {MachineId}'s secret could not be stored ({Error}); the next inspection stores it from the machine's config")]
    private static partial void LogSecretNotStored(ILogger logger, string machineId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fly machine {MachineId} stopped")]
    private static partial void LogStopped(ILogger logger, string machineId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destroyed Fly machine {MachineId} (existed: {Existed})")]
    private static partial void LogDestroyed(ILogger logger, string machineId, bool existed);
}
