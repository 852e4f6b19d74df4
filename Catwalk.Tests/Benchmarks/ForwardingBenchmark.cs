using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Catwalk.Core.Machines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// What <c>/api/mcp/{id}</c> costs: the real app on loopback with server-everything deployed on the local runtime, and
/// the official MCP SDK client calling it through the forwarder and, as the baseline measured in the same run, straight
/// at the deployment's local bridge. Measures sequential <c>echo</c> round trips (p50/p99), throughput with concurrent
/// clients, and how late the first SSE progress notification of <c>trigger-long-running-operation</c> arrives.
/// Forwarded and direct runs alternate in rounds so drift on a shared machine hits both alike. The client, Catwalk and
/// the bridge share this process (as the app hosts its local bridges); the server is a node child process.
/// Options: <c>--calls N</c> (sequential calls per target, default 1200), <c>--clients N</c> (default 8),
/// <c>--seconds N</c> (throughput window per target and round, default 3), <c>--progress-runs N</c> (default 40),
/// <c>--profile-calls N</c> (only N forwarded calls, for a profiler), <c>--warm-starts N</c> (warm starts in and out of the sandbox,
/// <see cref="WarmStartFigures"/>; default 10, 0 skips them), <c>--outside-only</c> (only the out-of-process clients' figures,
/// for a quick comparison while changing the forwarder). The breakdown also times the forwarded call with an
/// OAuth access token (obtained through the real sign-in, consent and token endpoints) beside the deployment token.
/// </summary>
internal sealed class ForwardingBenchmark : IBenchmark
{
    private const int Rounds = 6;
    private const int WarmUpCalls = 100;

    public string Name => "forwarding";

    public string Description => "/api/mcp/{id} against the local bridge directly: echo latency, throughput, SSE progress delay";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var calls = Option(args, "--calls", 1200);
        var clients = Option(args, "--clients", 8);
        var seconds = Option(args, "--seconds", 3);
        var progressRuns = Option(args, "--progress-runs", 40);
        var warmStarts = Option(args, "--warm-starts", 10, minimum: 0);
        var outsideOnly = args.Contains("--outside-only");

        Console.WriteLine("Starting PostgreSQL and Catwalk, deploying @modelcontextprotocol/server-everything on the local runtime...");
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var host = new McpEndpointHost(postgres) { Environment = "Production" };
            // No monitor passes or idle stops in the middle of a measurement (logs are quiet in every test host).
            host.ExtraSettings["CATWALK_MONITOR_INTERVAL"] = "600";
            host.ExtraSettings["CATWALK_IDLE_TIMEOUT"] = "0";
            await host.InitializeAsync();
            await using (host)
            {
                var (id, token, _) = await host.DeployEverythingAsync("benchmark");
                var deployment = await host.DeploymentAsync(id);
                var runtime = host.App.Services.GetRequiredService<MachineRuntimes>().For(deployment.RuntimeKind);
                var forwarded = new BenchmarkTarget("forwarded", host.EndpointOf(id), new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });
                var upstream = runtime.TryGetUpstream(deployment.MachineId!, out var found) ? found : throw new InvalidOperationException("The runtime lost the machine.");
                var direct = new BenchmarkTarget("direct", new Uri(upstream.BaseUrl, "mcp"), upstream.RequiredHeaders);
                Console.WriteLine($"forwarded: {forwarded.Endpoint}");
                Console.WriteLine($"direct:    {direct.Endpoint}");
                Console.WriteLine($"{Environment.ProcessorCount} logical cores, {RuntimeInformationText()}");
                Console.WriteLine();
                if (Option(args, "--profile-calls", 0) is > 0 and var profileCalls)
                {
                    return await ProfileAsync(forwarded, profileCalls, cancellationToken);
                }

                var latency = new Dictionary<BenchmarkTarget, List<double>> { [forwarded] = [], [direct] = [] };
                var throughput = new Dictionary<BenchmarkTarget, (long Calls, double Seconds)> { [forwarded] = (0, 0), [direct] = (0, 0) };
                var progress = new Dictionary<BenchmarkTarget, List<double>> { [forwarded] = [], [direct] = [] };
                var outside = new Dictionary<BenchmarkTarget, OutsideFigures> { [forwarded] = new(), [direct] = new() };
                // Each round: per target, the in-process client's sequential calls, progress runs and throughput; then
                // the out-of-process clients on both targets in turns. A first round is not counted: JIT tiers, connection
                // pools and the bridge's sessions warm up alike for both, and round 1 no longer pays for whichever goes first.
                async Task MeasureRoundAsync(BenchmarkTarget target, bool counted)
                {
                    if (outsideOnly)
                    {
                        return;
                    }

                    await using (var client = await ConnectAsync(target, cancellationToken))
                    {
                        var echoes = await EchoLatenciesAsync(client, counted ? calls / Rounds : WarmUpCalls, cancellationToken);
                        var delays = await FirstProgressDelaysAsync(client, counted ? progressRuns / Rounds : 2, cancellationToken);
                        if (counted)
                        {
                            latency[target].AddRange(echoes);
                            progress[target].AddRange(delays);
                        }
                    }

                    var (done, elapsed) = await ThroughputAsync(target, clients, TimeSpan.FromSeconds(counted ? seconds : 1), cancellationToken);
                    if (counted)
                    {
                        throughput[target] = (throughput[target].Calls + done, throughput[target].Seconds + elapsed);
                    }
                }

                // The out-of-process clients call both targets from one node process, in turns (OutOfProcessClient).
                async Task MeasureOutsideAsync(BenchmarkTarget[] order, bool counted)
                {
                    var figures = counted ? order.Select(target => outside[target]).ToArray() : [new OutsideFigures(), new OutsideFigures()];
                    await OutsideFigures.MeasureAsync(order, figures,
                        counted ? calls / Rounds : WarmUpCalls, clients, counted ? seconds : 1, cancellationToken);
                }

                try
                {
                    foreach (var target in new[] { forwarded, direct })
                    {
                        Console.WriteLine($"warm-up: {target.Name}");
                        await MeasureRoundAsync(target, counted: false);
                    }

                    await MeasureOutsideAsync([forwarded, direct], counted: false);
                    for (var round = 0; round < Rounds; round++)
                    {
                        // Alternate which target goes first.
                        var order = round % 2 == 0 ? new[] { forwarded, direct } : [direct, forwarded];
                        foreach (var target in order)
                        {
                            Console.WriteLine($"round {round + 1}/{Rounds}: {target.Name}");
                            await MeasureRoundAsync(target, counted: true);
                        }

                        Console.WriteLine($"round {round + 1}/{Rounds}: out-of-process clients, both targets in turns");
                        await MeasureOutsideAsync(order, counted: true);
                    }
                }
                catch (Exception)
                {
                    // A measurement that failed usually met a server that crashed: say what it wrote.
                    Console.WriteLine("The measurement failed; the server's last output lines:");
                    foreach (var line in await runtime.GetLogTailAsync(deployment.MachineId!, 40, CancellationToken.None))
                    {
                        Console.WriteLine("  " + line);
                    }

                    throw;
                }

                Console.WriteLine();
                Console.WriteLine($"{"metric",-44} {"forwarded",10} {"direct",10} {"added",9} {"ratio",7}");
                if (outsideOnly)
                {
                    PrintOutside(outside[forwarded], outside[direct], calls, clients);
                    return 0;
                }

                PrintRow($"echo latency p50 (ms, {calls} sequential calls)", Percentile(latency[forwarded], 0.50), Percentile(latency[direct], 0.50));
                PrintRow("echo latency p99 (ms)", Percentile(latency[forwarded], 0.99), Percentile(latency[direct], 0.99));
                PrintRow("echo latency mean (ms)", latency[forwarded].Average(), latency[direct].Average());
                PrintRow($"throughput, {clients} concurrent clients (calls/s)",
                    throughput[forwarded].Calls / throughput[forwarded].Seconds, throughput[direct].Calls / throughput[direct].Seconds);
                PrintRow($"first progress notification p50 (ms, {progressRuns} runs)", Percentile(progress[forwarded], 0.50), Percentile(progress[direct], 0.50));
                PrintRow("first progress notification p99 (ms)", Percentile(progress[forwarded], 0.99), Percentile(progress[direct], 0.99));
                Console.WriteLine();
                PrintOutside(outside[forwarded], outside[direct], calls, clients);
                Console.WriteLine();
                Console.WriteLine("Where the forwarded time goes (raw HTTP requests without the SDK client, sequential, p50 ms):");
                await using var forwardedSession = await ConnectAsync(forwarded, cancellationToken);
                await using var directSession = await ConnectAsync(direct, cancellationToken);
                var floor = await RawLatenciesAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(host.App.BaseAddress, "health")), calls, cancellationToken);
                var routeFloor = await RawLatenciesAsync(() => new HttpRequestMessage(HttpMethod.Options, forwarded.Endpoint), calls, cancellationToken);
                var tokenCheck = await RawLatenciesAsync(() => EchoCall(forwarded.Endpoint, new Dictionary<string, string> { ["Authorization"] = "Bearer cwd_wrong" }, forwardedSession.SessionId), calls, cancellationToken);
                var accessCheck = await AccessCheckMicrosecondsAsync(host.App.Services.GetRequiredService<Catwalk.Web.Mcp.McpDeploymentAccess>(), id, token, cancellationToken);
                // The same with an OAuth access token (issued now: it lives 15 minutes); its echo runs in alternating halves with the deployment token's.
                var oauthToken = await BenchmarkOAuthClient.AccessTokenAsync(host.App, id, deployment.OwnerId, forwarded.Endpoint, cancellationToken);
                var oauth = new Dictionary<string, string> { ["Authorization"] = "Bearer " + oauthToken };
                var oauthAccessCheck = await AccessCheckMicrosecondsAsync(host.App.Services.GetRequiredService<Catwalk.Web.Mcp.McpDeploymentAccess>(), id, oauthToken, cancellationToken);
                // The same client allocates alike for both targets: the difference in bytes is what the forwarder allocates per call.
                var forwardedEcho = new List<double>();
                var forwardedOAuthEcho = new List<double>();
                long forwardedBytes = 0;
                for (var half = 0; half < 2; half++)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    forwardedEcho.AddRange(await RawLatenciesAsync(() => EchoCall(forwarded.Endpoint, forwarded.Headers, forwardedSession.SessionId), calls / 2, cancellationToken));
                    forwardedBytes += GC.GetTotalAllocatedBytes(precise: true) - before;
                    forwardedOAuthEcho.AddRange(await RawLatenciesAsync(() => EchoCall(forwarded.Endpoint, oauth, forwardedSession.SessionId), calls / 2, cancellationToken));
                }

                var directBefore = GC.GetTotalAllocatedBytes(precise: true);
                var directEcho = await RawLatenciesAsync(() => EchoCall(direct.Endpoint, direct.Headers, directSession.SessionId), calls, cancellationToken);
                var directBytes = GC.GetTotalAllocatedBytes(precise: true) - directBefore;
                var forwardedChunked = await RawLatenciesAsync(() => Chunked(EchoCall(forwarded.Endpoint, forwarded.Headers, forwardedSession.SessionId)), calls, cancellationToken);
                var directChunked = await RawLatenciesAsync(() => Chunked(EchoCall(direct.Endpoint, direct.Headers, directSession.SessionId)), calls, cancellationToken);
                PrintPart("GET /health (the app's HTTP floor)", floor);
                PrintPart("OPTIONS on the MCP route (405: Kestrel, span, routing, CORS)", routeFloor);
                PrintPart("401 for a wrong token (hash, then OAuth validation)", tokenCheck);
                Console.WriteLine($"  {"token check of a forwarded call, in process (mean)",-50} {accessCheck / 1000:F4}");
                Console.WriteLine($"  {"the same check with an OAuth access token (mean)",-50} {oauthAccessCheck / 1000:F4}");
                PrintPart("echo tools/call, forwarded", forwardedEcho);
                PrintPart("echo tools/call, forwarded, OAuth access token", forwardedOAuthEcho);
                PrintPart("echo tools/call, direct", directEcho);
                PrintPart("echo, chunked request body, forwarded", forwardedChunked);
                PrintPart("echo, chunked request body, direct", directChunked);
                // Each run of RawLatenciesAsync also makes WarmUpCalls uncounted calls.
                Console.WriteLine($"  {"bytes allocated in this process per echo, forwarded",-50} {forwardedBytes / (calls + 2.0 * WarmUpCalls),8:F0}");
                Console.WriteLine($"  {"bytes allocated in this process per echo, direct",-50} {directBytes / (double)(calls + WarmUpCalls),8:F0}");
                Console.WriteLine();
                Console.WriteLine($"The long-running tool is asked for {ProgressSteps} steps over {ProgressDurationSeconds} s: its first progress " +
                    $"notification is due {ProgressDurationSeconds / ProgressSteps * 1000:F0} ms after the call; 'added' is what the forwarder adds.");
                if (warmStarts > 0)
                {
                    Console.WriteLine();
                    Console.WriteLine($"Warm start (stopped → /status 200, package installed), {warmStarts} runs each, in the sandbox against CATWALK_LOCAL_SANDBOX=none:");
                    var (sandboxed, unsandboxed) = await WarmStartFigures.MeasureAsync(postgres, warmStarts, cancellationToken);
                    Console.WriteLine($"{"metric",-44} {"bwrap",10} {"none",10} {"added",9} {"ratio",7}");
                    PrintRow("warm start p50 (ms)", Percentile(sandboxed, 0.50), Percentile(unsandboxed, 0.50));
                    PrintRow("warm start max (ms)", sandboxed.Max(), unsandboxed.Max());
                }

                return 0;
            }
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private const double ProgressDurationSeconds = 0.5;
    private const int ProgressSteps = 5;

    private static HttpRequestMessage EchoCall(Uri endpoint, IReadOnlyDictionary<string, string> headers, string? sessionId)
    {
        var request = McpEndpointTests.RawPost(endpoint, null,
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"raw"}}}""");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    /// <summary>
    /// Only forwarded <c>echo</c> calls, sequential over one connection, so a sampling profiler attached to this process
    /// (<c>dotnet-trace collect -- dotnet Catwalk.Tests.dll benchmark forwarding --profile-calls 20000</c>) sees where a
    /// forwarded call's time goes.
    /// </summary>
    private static async Task<int> ProfileAsync(BenchmarkTarget forwarded, int calls, CancellationToken cancellationToken)
    {
        await using var session = await ConnectAsync(forwarded, cancellationToken);
        var latencies = await RawLatenciesAsync(() => EchoCall(forwarded.Endpoint, forwarded.Headers, session.SessionId), calls, cancellationToken);
        PrintPart($"echo tools/call, forwarded ({calls} calls)", latencies);
        return 0;
    }

    /// <summary>The endpoint's token check alone (cached route, SHA-256 compare), timed in process: mean microseconds.</summary>
    private static async Task<double> AccessCheckMicrosecondsAsync(Catwalk.Web.Mcp.McpDeploymentAccess access, Guid id, string token, CancellationToken cancellationToken)
    {
        const int Checks = 20_000;
        var rawId = id.ToString();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Checks; i++)
        {
            var (outcome, _) = await access.AuthorizeAsync(rawId, token, cancellationToken);
            if (outcome != Catwalk.Web.Mcp.McpDeploymentAccess.Outcome.Allowed)
            {
                throw new InvalidOperationException("The token was refused.");
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / Checks;
    }

    /// <summary>The same request with its body sent chunked (no Content-Length), as the SDK client's JSON content is.</summary>
    private static HttpRequestMessage Chunked(HttpRequestMessage request)
    {
        var body = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = request.Content.Headers.ContentType;
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    private static void PrintPart(string what, List<double> latencies) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-46} {Percentile(latencies, 0.5),8:F2}"));

    private static readonly HttpClient Raw = new();

    /// <summary>Sequential raw requests after a short warm-up, each read to its end.</summary>
    private static async Task<List<double>> RawLatenciesAsync(Func<HttpRequestMessage> request, int count, CancellationToken cancellationToken)
    {
        var results = new List<double>(count);
        for (var i = -WarmUpCalls; i < count; i++)
        {
            using var message = request();
            var started = Stopwatch.GetTimestamp();
            using var response = await Raw.SendAsync(message, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (i >= 0)
            {
                results.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return results;
    }

    private static async Task<McpClient> ConnectAsync(BenchmarkTarget target, CancellationToken cancellationToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = target.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = target.Headers.ToDictionary(),
        }, NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }, NullLoggerFactory.Instance, cancellationToken);
    }

    private static async Task<List<double>> EchoLatenciesAsync(McpClient client, int count, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?> { ["message"] = "benchmark" };
        var results = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await client.CallToolAsync("echo", arguments, cancellationToken: cancellationToken);
            results.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (result.IsError == true)
            {
                throw new InvalidOperationException("echo failed: " + string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
            }
        }

        return results;
    }

    /// <summary>Each of <paramref name="clients"/> sessions calls echo back to back for <paramref name="window"/>.</summary>
    private static async Task<(long Calls, double Seconds)> ThroughputAsync(BenchmarkTarget target, int clients, TimeSpan window, CancellationToken cancellationToken)
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ConnectAsync(target, cancellationToken)));
        try
        {
            foreach (var session in sessions)
            {
                await EchoLatenciesAsync(session, 5, cancellationToken);
            }

            long done = 0;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(sessions.Select(async session =>
            {
                var arguments = new Dictionary<string, object?> { ["message"] = "load" };
                while (stopwatch.Elapsed < window)
                {
                    await session.CallToolAsync("echo", arguments, cancellationToken: cancellationToken);
                    Interlocked.Increment(ref done);
                }
            }));
            return (done, stopwatch.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>Time from sending the call to the first progress notification arriving on the client's session.</summary>
    private static async Task<List<double>> FirstProgressDelaysAsync(McpClient client, int runs, CancellationToken cancellationToken)
    {
        var results = new List<double>(runs);
        for (var run = 0; run < runs; run++)
        {
            var progressToken = "bench-" + run.ToString(CultureInfo.InvariantCulture);
            var first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
            {
                if (notification.Params is JsonObject parameters && parameters["progressToken"]?.ToString() == progressToken)
                {
                    first.TrySetResult(Stopwatch.GetTimestamp());
                }

                return ValueTask.CompletedTask;
            });

            var started = Stopwatch.GetTimestamp();
            var call = client.CallToolAsync("trigger-long-running-operation",
                new Dictionary<string, object?> { ["duration"] = ProgressDurationSeconds, ["steps"] = ProgressSteps },
                options: new RequestOptions { ProgressToken = new ProgressToken(progressToken) }, cancellationToken: cancellationToken);
            var arrived = await first.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            results.Add(Stopwatch.GetElapsedTime(started, arrived).TotalMilliseconds);
            await call;
        }

        return results;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static void PrintOutside(OutsideFigures forwarded, OutsideFigures direct, int calls, int clients)
    {
        Console.WriteLine("Out-of-process clients (node; the TypeScript SDK client and raw keep-alive HTTP):");
        PrintRow($"TS SDK echo p50 (ms, {calls} sequential calls)", Percentile(forwarded.Sdk, 0.50), Percentile(direct.Sdk, 0.50));
        PrintRow("TS SDK echo p99 (ms)", Percentile(forwarded.Sdk, 0.99), Percentile(direct.Sdk, 0.99));
        PrintRow($"raw HTTP echo p50 (ms, {calls} calls, 1 connection)", Percentile(forwarded.Raw, 0.50), Percentile(direct.Raw, 0.50));
        PrintRow("raw HTTP echo p99 (ms)", Percentile(forwarded.Raw, 0.99), Percentile(direct.Raw, 0.99));
        PrintRow($"TS SDK throughput, {clients} clients (calls/s)", forwarded.Throughput, direct.Throughput);
    }

    private static void PrintRow(string metric, double forwarded, double direct) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{metric,-44} {forwarded,10:F2} {direct,10:F2} {Math.Round(forwarded - direct, 2),9:+0.00;-0.00;0.00} {forwarded / direct,6:F2}x"));

    private static int Option(IReadOnlyList<string> args, string name, int fallback, int minimum = 1)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : fallback;
    }

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}";

    /// <summary>What the out-of-process clients measured of one target over all rounds.</summary>
    private sealed class OutsideFigures
    {
        public List<double> Sdk { get; } = [];

        public List<double> Raw { get; } = [];

        public double Throughput => _seconds == 0 ? 0 : _calls / _seconds;

        private long _calls;
        private double _seconds;

        /// <summary>Measures the targets together; <paramref name="figures"/> receives each target's figures, in order.</summary>
        public static async Task MeasureAsync(BenchmarkTarget[] targets, OutsideFigures[] figures, int calls, int clients, int seconds, CancellationToken cancellationToken)
        {
            var sdk = await OutOfProcessClient.SdkLatenciesAsync(targets, WarmUpCalls, calls, cancellationToken);
            var raw = await OutOfProcessClient.RawLatenciesAsync(targets, WarmUpCalls, calls, cancellationToken);
            var throughput = await OutOfProcessClient.SdkThroughputAsync(targets, clients, seconds, cancellationToken);
            for (var i = 0; i < targets.Length; i++)
            {
                figures[i].Sdk.AddRange(sdk[i]);
                figures[i].Raw.AddRange(raw[i]);
                figures[i]._calls += throughput[i].Calls;
                figures[i]._seconds += throughput[i].Seconds;
            }
        }
    }
}
