using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Catwalk.Tests.Fakes.FlyMachines;

/// <summary>
/// A loopback fake of Fly's Machines API (real Kestrel, real paths and JSON shapes, Bearer auth, 404/408/409/412 error
/// bodies as <c>{"error": "..."}</c>) that records what Catwalk sends and injects faults: 429 with Retry-After, 503,
/// answers slower than the client's timeout, a create whose answer is lost after the machine was made (a 503, or a dropped
/// connection), machines that never start, crash or never become healthy, and machines changed behind Catwalk's back.
/// <para>
/// It also plays the machines' network: <c>{Root}machines/{id}/status</c> and <c>.../mcp</c> answer for a started
/// machine, so <see cref="MachineUrlTemplate"/> given as <c>FLY_MACHINE_URL_TEMPLATE</c> makes Catwalk reach "its"
/// machines over loopback. With <see cref="Upstreams"/> set, those paths are proxied (streaming, via YARP) to whatever
/// base URL the upstream hands out per machine, e.g. a local stdio bridge started with the machine's env.
/// </para>
/// </summary>
public sealed class FakeFlyMachinesApi : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<FakeMachine> _machines = [];
    private readonly List<(FakeFault Fault, int Left)> _faults = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpMessageInvoker _upstreamClient = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _statusChecks;
    private int _refusedWithoutSecret;

    private FakeFlyMachinesApi(string appName, string token)
    {
        AppName = appName;
        Token = token;
    }

    public string AppName { get; }

    public string Token { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c></summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>What to set as <c>FLY_API_BASE_URL</c>.</summary>
    public Uri BaseUrl => new(Root, "v1");

    /// <summary>What to set as <c>FLY_MACHINE_URL_TEMPLATE</c>: the machines answer on this fake's loopback port.</summary>
    public string MachineUrlTemplate => Root + "machines/{machineId}/";

    /// <summary>How long a <see cref="FakeMachineBehavior.CrashesAfterStarted"/> machine stays started before it exits.</summary>
    public TimeSpan CrashAfterStartedDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How machines created from now on behave.</summary>
    public FakeMachineBehavior NewMachineBehavior { get; set; }

    /// <summary>What answers behind started machines (null: the fake's stub serves <c>/status</c> and an echoing <c>/mcp</c>).</summary>
    public IFakeMachineUpstream? Upstreams { get; set; }

    /// <summary>Machines that exist (not destroyed).</summary>
    public IReadOnlyList<FakeMachine> Machines
    {
        get
        {
            lock (_gate)
            {
                return _machines.Where(m => m.State != "destroyed").ToList();
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    public int StatusChecks => Volatile.Read(ref _statusChecks);

    /// <summary>Requests to a machine's <c>/mcp</c> refused because they lacked the machine's secret.</summary>
    public int RefusedWithoutSecret => Volatile.Read(ref _refusedWithoutSecret);

    public int CountOf(FlyCall call) => Requests.Count(r => r.Call == call);

    public static async Task<FakeFlyMachinesApi> StartAsync(string appName = "catwalk-mcp-test", string token = "fly-test-token")
    {
        var fake = new FakeFlyMachinesApi(appName, token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        fake.Map(app);
        await app.StartAsync();
        fake._app = app;
        fake.Root = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    public void Inject(FakeFault fault)
    {
        lock (_gate)
        {
            _faults.Add((fault, fault.Times));
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Puts a machine in the app as if someone (Catwalk earlier, or a person) had made it.</summary>
    public FakeMachine Seed(string? name = null, Guid? deploymentId = null, string state = "started", DateTimeOffset? createdAt = null)
    {
        var metadata = new JsonObject();
        if (deploymentId is { } id)
        {
            metadata["catwalk_deployment"] = id.ToString();
        }

        var config = new JsonObject { ["image"] = "registry.fly.io/seeded:latest", ["env"] = new JsonObject(), ["metadata"] = metadata };
        var machine = new FakeMachine(NewMachineId(), name ?? "seeded-" + NewMachineId()[..6], "iad", config, createdAt ?? DateTimeOffset.UtcNow)
        {
            State = state,
        };
        lock (_gate)
        {
            _machines.Add(machine);
            if (state == "started")
            {
                machine.Events.Add(Event("start", "started"));
            }

            NotifyChanged();
        }

        return machine;
    }

    public FakeMachine? Find(string machineId)
    {
        lock (_gate)
        {
            return _machines.FirstOrDefault(m => m.Id == machineId);
        }
    }

    public void DestroyBehindCatwalksBack(string machineId) => Destroy(Find(machineId) ?? throw new InvalidOperationException("No such machine."));

    public void StopBehindCatwalksBack(string machineId) => BeginStop(Find(machineId) ?? throw new InvalidOperationException("No such machine."), requested: true);

    public void StartBehindCatwalksBack(string machineId) => BeginStart(Find(machineId) ?? throw new InvalidOperationException("No such machine."));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Upstreams is { } upstreams)
        {
            foreach (var machine in Machines.Where(m => m.Upstream is not null))
            {
                await upstreams.StopAsync(machine, CancellationToken.None);
            }
        }

        _upstreamClient.Dispose();
        _stopping.Dispose();
    }

    private void Map(WebApplication app)
    {
        const string machines = "/v1/apps/{app}/machines";
        app.MapPost(machines, Api(FlyCall.Create, CreateAsync));
        app.MapGet(machines, Api(FlyCall.List, List));
        app.MapGet(machines + "/{id}", Api(FlyCall.Get, Get));
        app.MapPost(machines + "/{id}", Api(FlyCall.Update, UpdateAsync));
        app.MapPost(machines + "/{id}/start", Api(FlyCall.Start, Start));
        app.MapPost(machines + "/{id}/stop", Api(FlyCall.Stop, Stop));
        app.MapGet(machines + "/{id}/wait", Api(FlyCall.Wait, WaitAsync));
        app.MapDelete(machines + "/{id}", Api(FlyCall.Destroy, DestroyCall));
        app.Map("/machines/{id}/{**rest}", ServeMachineAsync);
    }

    private delegate Task<(int Status, JsonNode? Body)> ApiHandler(HttpContext context, string? body);

    private RequestDelegate Api(FlyCall call, Func<HttpContext, string?, (int, JsonNode?)> handler) =>
        Api(call, (context, body) => Task.FromResult(handler(context, body)));

    private RequestDelegate Api(FlyCall call, ApiHandler handler) => async context =>
    {
        var body = context.Request.ContentLength > 0 || context.Request.Headers.ContentType.Count > 0
            ? await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(_stopping.Token)
            : null;
        var authorization = context.Request.Headers.Authorization.ToString();
        var expected = Token.StartsWith("FlyV1 ", StringComparison.Ordinal) ? Token : "Bearer " + Token;
        var fault = authorization == expected ? TakeFault(call) : null;

        int status;
        JsonNode? answer;
        if (authorization != expected)
        {
            (status, answer) = (401, Error("You must be authenticated to view this."));
        }
        else if ((string?)context.GetRouteValue("app") != AppName)
        {
            (status, answer) = (404, Error("app not found"));
        }
        else if (fault is { Kind: FaultKind.Respond })
        {
            status = fault.StatusCode;
            answer = Error(status == 429 ? "rate limit exceeded" : "service unavailable");
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
        }
        else
        {
            if (fault is { Kind: FaultKind.Slow, Delay: { } delay })
            {
                // The client gives up meanwhile; the work below still happens, as on a real slow server.
                try
                {
                    await Task.Delay(delay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            (status, answer) = await handler(context, body);
            if (fault is { Kind: FaultKind.ApplyThenFail })
            {
                (status, answer) = (503, Error("upstream connect error or disconnect/reset before headers"));
            }
        }

        lock (_gate)
        {
            _requests.Add(new RecordedRequest(DateTimeOffset.UtcNow, call, context.Request.Method,
                context.Request.Path + context.Request.QueryString, authorization, body, status, fault?.Kind));
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (fault is { Kind: FaultKind.ApplyThenDropConnection })
        {
            // The work is done; the client gets a reset connection instead of the answer.
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        }
    };

    private FakeFault? TakeFault(FlyCall call)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Fault.Call == call || f.Fault.Call == FlyCall.Any);
            if (index < 0)
            {
                return null;
            }

            var (fault, left) = _faults[index];
            if (left <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = (fault, left - 1);
            }

            return fault;
        }
    }

    private Task<(int, JsonNode?)> CreateAsync(HttpContext context, string? body)
    {
        if (JsonNode.Parse(body ?? "null") is not JsonObject request || request["config"] is not JsonObject config ||
            config["image"]?.GetValue<string>() is not { Length: > 0 })
        {
            return Task.FromResult<(int, JsonNode?)>((422, Error("invalid machine config: image is required")));
        }

        var name = request["name"]?.GetValue<string>() ?? "machine-" + NewMachineId()[..8];
        FakeMachine machine;
        JsonNode answer;
        lock (_gate)
        {
            if (_machines.Any(m => m.Name == name && m.State != "destroyed"))
            {
                return Task.FromResult<(int, JsonNode?)>((409, Error($"a machine with name '{name}' already exists in app {AppName}")));
            }

            machine = new FakeMachine(NewMachineId(), name, request["region"]?.GetValue<string>() ?? "iad", (JsonObject)config.DeepClone(), DateTimeOffset.UtcNow)
            {
                Behavior = NewMachineBehavior,
            };
            machine.Events.Add(Event("launch", "created"));
            _machines.Add(machine);
            answer = ToJson(machine);
            NotifyChanged();
        }

        if (request["skip_launch"]?.GetValue<bool>() != true)
        {
            BeginStart(machine);
        }

        return Task.FromResult<(int, JsonNode?)>((200, answer));
    }

    private (int, JsonNode?) List(HttpContext context, string? body)
    {
        var filters = context.Request.Query
            .Where(q => q.Key.StartsWith("metadata.", StringComparison.Ordinal))
            .Select(q => (Key: q.Key["metadata.".Length..], Value: q.Value.ToString()))
            .ToList();
        var includeDeleted = context.Request.Query["include_deleted"] == "true";
        lock (_gate)
        {
            var list = _machines
                .Where(m => includeDeleted || m.State != "destroyed")
                .Where(m => filters.All(f => m.Metadata(f.Key) == f.Value))
                .Select(ToJson);
            return (200, new JsonArray(list.ToArray<JsonNode?>()));
        }
    }

    private (int, JsonNode?) Get(HttpContext context, string? body)
    {
        lock (_gate)
        {
            return Machine(context) is { } machine ? (200, ToJson(machine)) : (404, Error("machine not found"));
        }
    }

    private async Task<(int, JsonNode?)> UpdateAsync(HttpContext context, string? body)
    {
        if (JsonNode.Parse(body ?? "null") is not JsonObject request || request["config"] is not JsonObject config)
        {
            return (422, Error("invalid machine config"));
        }

        FakeMachine? machine;
        lock (_gate)
        {
            machine = Machine(context);
            if (machine is null || machine.State == "destroyed")
            {
                return (404, Error("machine not found"));
            }

            machine.Config = (JsonObject)config.DeepClone();
            machine.UpdatedAt = DateTimeOffset.UtcNow;
            machine.InstanceId = FakeMachine.NewInstanceId();
        }

        await StopUpstreamAsync(machine);
        BeginStart(machine);
        lock (_gate)
        {
            return (200, ToJson(machine));
        }
    }

    private (int, JsonNode?) Start(HttpContext context, string? body)
    {
        FakeMachine? machine;
        string previous;
        lock (_gate)
        {
            machine = Machine(context);
            if (machine is null || machine.State == "destroyed")
            {
                return (404, Error("machine not found"));
            }

            previous = machine.State;
            if (previous is not ("stopped" or "suspended" or "created"))
            {
                return (412, Error($"unable to start machine from current state: '{previous}'"));
            }
        }

        BeginStart(machine);
        return (200, new JsonObject { ["previous_state"] = previous, ["migrated"] = false, ["new_host"] = "" });
    }

    private (int, JsonNode?) Stop(HttpContext context, string? body)
    {
        FakeMachine? machine;
        lock (_gate)
        {
            machine = Machine(context);
            if (machine is null || machine.State == "destroyed")
            {
                return (404, Error("machine not found"));
            }
        }

        BeginStop(machine, requested: true);
        return (200, new JsonObject { ["ok"] = true });
    }

    private async Task<(int, JsonNode?)> WaitAsync(HttpContext context, string? body)
    {
        var state = context.Request.Query["state"].ToString();
        var instance = context.Request.Query["instance_id"].ToString();
        var seconds = int.TryParse(context.Request.Query["timeout"], out var s) ? s : 60;
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var machine = Machine(context);
                if (machine is null)
                {
                    return (404, Error("machine not found"));
                }

                if (machine.State == state && (instance.Length == 0 || machine.InstanceId == instance))
                {
                    return (200, new JsonObject { ["ok"] = true });
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return (408, Error($"deadline_exceeded: timeout waiting for machine to be {state}"));
            }

            try
            {
                await changed.WaitAsync(remaining, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                // Loop once more: answers 408 unless the state arrived at the last moment.
            }
            catch (OperationCanceledException)
            {
                return (499, null);
            }
        }
    }

    private (int, JsonNode?) DestroyCall(HttpContext context, string? body)
    {
        FakeMachine? machine;
        lock (_gate)
        {
            machine = Machine(context);
            if (machine is null || machine.State == "destroyed")
            {
                return (404, Error("machine not found"));
            }

            if (machine.State is "started" or "starting" && context.Request.Query["force"] != "true")
            {
                return (412, Error("failed to destroy machine: machine still active, refusing to delete"));
            }
        }

        Destroy(machine);
        return (200, new JsonObject { ["ok"] = true });
    }

    private FakeMachine? Machine(HttpContext context) =>
        _machines.FirstOrDefault(m => m.Id == (string?)context.GetRouteValue("id"));

    private void Destroy(FakeMachine machine)
    {
        lock (_gate)
        {
            machine.State = "destroyed";
            machine.Events.Add(Event("destroy", "destroyed"));
            NotifyChanged();
        }

        _ = StopUpstreamAsync(machine);
    }

    private void BeginStart(FakeMachine machine)
    {
        string instance;
        lock (_gate)
        {
            machine.State = "starting";
            machine.UpstreamError = null;
            instance = machine.InstanceId;
            NotifyChanged();
        }

        _ = Task.Run(async () =>
        {
            if (machine.Behavior.HasFlag(FakeMachineBehavior.NeverStarts))
            {
                return;
            }

            lock (_gate)
            {
                if (machine.State != "starting" || machine.InstanceId != instance)
                {
                    return;
                }

                machine.State = "started";
                machine.Events.Add(Event("start", "started"));
                NotifyChanged();
            }

            if (machine.Behavior.HasFlag(FakeMachineBehavior.CrashesAfterStarted))
            {
                try
                {
                    await Task.Delay(CrashAfterStartedDelay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (_gate)
                {
                    if (machine.State == "started" && machine.InstanceId == instance)
                    {
                        machine.State = "stopped";
                        machine.Events.Add(Exit(exitCode: 1, requested: false));
                        NotifyChanged();
                    }
                }

                return;
            }

            if (machine.Behavior.HasFlag(FakeMachineBehavior.CrashesOnStart))
            {
                lock (_gate)
                {
                    machine.State = "stopped";
                    machine.Events.Add(Exit(exitCode: 1, requested: false));
                    NotifyChanged();
                }

                return;
            }

            if (Upstreams is { } upstreams)
            {
                Uri? upstream;
                try
                {
                    upstream = await upstreams.StartAsync(machine, _stopping.Token);
                }
                catch (Exception ex)
                {
                    // Shown on the machine's /status and kept for the test to read, instead of vanishing in a background task.
                    machine.UpstreamError = ex;
                    return;
                }

                lock (_gate)
                {
                    if (machine.State == "started" && machine.InstanceId == instance)
                    {
                        machine.Upstream = upstream is null || upstream.AbsoluteUri.EndsWith('/') ? upstream : new Uri(upstream.AbsoluteUri + "/");
                        NotifyChanged();
                    }
                }
            }
        });
    }

    private void BeginStop(FakeMachine machine, bool requested)
    {
        lock (_gate)
        {
            if (machine.State is "stopped" or "destroyed")
            {
                return;
            }

            machine.State = "stopping";
            NotifyChanged();
        }

        _ = Task.Run(async () =>
        {
            await StopUpstreamAsync(machine);
            lock (_gate)
            {
                if (machine.State == "stopping")
                {
                    machine.State = "stopped";
                    machine.Events.Add(Exit(exitCode: 0, requested));
                    NotifyChanged();
                }
            }
        });
    }

    private async Task StopUpstreamAsync(FakeMachine machine)
    {
        Uri? had;
        lock (_gate)
        {
            had = machine.Upstream;
            machine.Upstream = null;
        }

        if (had is not null && Upstreams is { } upstreams)
        {
            await upstreams.StopAsync(machine, CancellationToken.None);
        }
    }

    /// <summary>The machine's own network: <c>/status</c> and <c>/mcp</c> on a started machine.</summary>
    private async Task ServeMachineAsync(HttpContext context)
    {
        var id = (string?)context.GetRouteValue("id");
        var rest = (string?)context.GetRouteValue("rest") ?? "";
        FakeMachine? machine;
        Uri? upstream;
        string? state;
        lock (_gate)
        {
            machine = _machines.FirstOrDefault(m => m.Id == id && m.State != "destroyed");
            upstream = machine?.Upstream;
            state = machine?.State;
        }

        if (rest == "status")
        {
            Interlocked.Increment(ref _statusChecks);
        }

        if (machine is null || state != "started")
        {
            // On 6PN nothing listens: the closest loopback answer is a gateway error.
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        if (machine.Behavior.HasFlag(FakeMachineBehavior.NeverHealthy) || machine.Behavior.HasFlag(FakeMachineBehavior.CrashesAfterStarted))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // As the image does: a machine given a secret refuses /mcp without it (any caller on the private network could try).
        if (rest.StartsWith("mcp", StringComparison.Ordinal) && machine.Env(FlyMachineConfigs.MachineSecretVariable) is { } secret
            && !MachineSecret.Matches(secret, context.Request.Headers[MachineSecret.HeaderName].ToString()))
        {
            Interlocked.Increment(ref _refusedWithoutSecret);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Unauthorized"}}""");
            return;
        }

        if (upstream is not null)
        {
            var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
            var target = new Uri(upstream, rest + context.Request.QueryString);
            await forwarder.SendAsync(context, upstream.GetLeftPart(UriPartial.Authority), _upstreamClient, ForwarderRequestConfig.Empty,
                new ToMachineUpstream(target, machine.UpstreamHeaders));
            return;
        }

        if (machine.UpstreamError is { } error)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("The machine's upstream failed to start: " + error);
            return;
        }

        if (Upstreams is not null)
        {
            // The upstream is still coming up.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (rest == "status")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"api_last_activity":null,"server_instances":{"default":"configured"}}""");
            return;
        }

        // mcp-proxy serves its Streamable HTTP endpoint under the /mcp mount, so both spellings answer.
        if (rest is "mcp" or "mcp/" && HttpMethods.IsPost(context.Request.Method))
        {
            // A stub MCP endpoint: echoes which machine answered which method.
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var reply = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = request?["id"]?.DeepClone(),
                ["result"] = new JsonObject { ["machineId"] = machine.Id, ["method"] = request?["method"]?.DeepClone() },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.ToJsonString());
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private JsonObject ToJson(FakeMachine machine)
    {
        var now = DateTimeOffset.UtcNow;
        var checks = new JsonArray();
        if (machine.State == "started")
        {
            var passing = machine.Answers && (Upstreams is null || machine.Upstream is not null);
            checks.Add(new JsonObject
            {
                ["name"] = "status",
                ["status"] = passing ? "passing" : "critical",
                ["output"] = passing ? "200 OK" : "connect: connection refused",
                ["updated_at"] = now.ToString("O"),
            });
        }

        return new JsonObject
        {
            ["id"] = machine.Id,
            ["name"] = machine.Name,
            ["state"] = machine.State,
            ["region"] = machine.Region,
            ["instance_id"] = machine.InstanceId,
            ["private_ip"] = "fdaa:0:1:a7b:1::2",
            ["config"] = machine.Config.DeepClone(),
            ["image_ref"] = new JsonObject { ["registry"] = "registry.fly.io", ["repository"] = AppName, ["tag"] = "test" },
            ["created_at"] = machine.CreatedAt.ToString("O"),
            ["updated_at"] = (machine.UpdatedAt == default ? machine.CreatedAt : machine.UpdatedAt).ToString("O"),
            // Fly lists events newest first.
            ["events"] = new JsonArray(machine.Events.AsEnumerable().Reverse().Select(e => (JsonNode?)e.DeepClone()).ToArray()),
            ["checks"] = checks,
        };
    }

    private void NotifyChanged() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static JsonObject Event(string type, string status) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["source"] = "flyd",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private static JsonObject Exit(int exitCode, bool requested)
    {
        var exit = Event("exit", "stopped");
        exit["request"] = new JsonObject
        {
            ["exit_event"] = new JsonObject { ["exit_code"] = exitCode, ["oom_killed"] = false, ["requested_stop"] = requested },
        };
        return exit;
    }

    private static JsonObject Error(string message) => new() { ["error"] = message };

    private static string NewMachineId() => Convert.ToHexString(Guid.NewGuid().ToByteArray())[..14].ToLowerInvariant();

    /// <summary>Sends the proxied request to the machine upstream's path (the fake's <c>/machines/{id}</c> prefix removed).</summary>
    private sealed class ToMachineUpstream(Uri target, IReadOnlyDictionary<string, string> headers) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = target;
            proxyRequest.Headers.Remove(MachineSecret.HeaderName);
            foreach (var (name, value) in headers)
            {
                proxyRequest.Headers.TryAddWithoutValidation(name, value);
            }

        }
    }
}
