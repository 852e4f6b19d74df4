using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Catwalk.Core.Machines;
using Catwalk.Tests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Machines.Local;

/// <summary>The local runtime's machines over their life: start, readiness, crashes, restarts, failure, stop.</summary>
public sealed class LocalRuntimeLifecycleTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Status_answers_503_until_the_server_answered_initialize_and_200_after_on_the_same_url()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var silent = LocalRuntimeScope.Misbehaving(new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "silent" });

        var machine = await scope.Runtime.ProvisionAsync(silent, ct);
        await Eventually.IsTrueAsync(() => scope.Runtime.GetServerProcessId(machine.MachineId) is not null, "the silent server runs");

        (await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await scope.Runtime.InspectAsync(machine.MachineId, ct))!.State.Should().Be(MachineState.Starting);

        var updated = await scope.Runtime.UpdateAsync(machine.MachineId, LocalRuntimeScope.Everything() with { DeploymentId = silent.DeploymentId }, ct);
        updated.UpstreamBaseUrl.Should().Be(machine.UpstreamBaseUrl);
        var status = await Eventually.ReturnsAsync(
            () => Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct),
            response => response.StatusCode == HttpStatusCode.OK,
            "/status answers 200");
        (await status.Content.ReadAsStringAsync(ct)).Should().Contain("\"status\":\"ready\"");
        (await scope.Runtime.InspectAsync(machine.MachineId, ct)).Should().Match<MachineInfo>(info =>
            info.State == MachineState.Started && info.Health == MachineHealth.Healthy && info.StartedAt != null && info.RuntimeKind == RuntimeKind.Local);
    }

    [Fact]
    public async Task Provisioning_a_deployment_twice_reuses_its_one_machine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var spec = LocalRuntimeScope.Everything();

        var first = await scope.ProvisionHealthyAsync(spec);
        var second = await scope.Runtime.ProvisionAsync(spec, ct);

        second.MachineId.Should().Be(first.MachineId).And.Be($"local-{spec.DeploymentId:N}");
        second.UpstreamBaseUrl.Should().Be(first.UpstreamBaseUrl);
        second.DeploymentId.Should().Be(spec.DeploymentId);
        (await scope.Runtime.ListAsync(ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_credential_reaches_only_the_server_process_and_host_secrets_stay_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        var credentialName = "CATWALK_TEST_API_KEY";
        var credentialValue = "cred-" + Guid.NewGuid().ToString("N");
        var hostSecretName = "CATWALK_TEST_HOST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var hostSecretValue = "host-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(hostSecretName, hostSecretValue);
        try
        {
            await using var scope = new LocalRuntimeScope();
            var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything(new Dictionary<string, string> { [credentialName] = credentialValue }));
            await using var client = await LocalRuntimeScope.ConnectAsync(scope.Upstream(machine.MachineId));

            var result = await client.CallToolAsync("get-env", cancellationToken: ct);
            var childEnvironment = JsonSerializer.Deserialize<Dictionary<string, string>>(result.Content.OfType<TextContentBlock>().Single().Text)!;

            childEnvironment.Should().Contain(credentialName, credentialValue);
            childEnvironment.Should().NotContainKey(hostSecretName).And.NotContainValue(hostSecretValue);
            childEnvironment.Should().ContainKey("PATH");
            Environment.GetEnvironmentVariable(credentialName).Should().BeNull("credentials never enter the host's environment");
            Environment.GetEnvironmentVariables().Values.Cast<object>().Should().NotContain(credentialValue);
        }
        finally
        {
            Environment.SetEnvironmentVariable(hostSecretName, null);
        }
    }

    [Fact]
    public async Task A_killed_server_process_is_restarted_and_the_machine_becomes_healthy_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        var firstRoot = scope.Runtime.GetServerProcessId(machine.MachineId)!.Value;
        var server = ProcessTree.Of(firstRoot).Single(process => process.CommandLine.StartsWith("node ", StringComparison.Ordinal) && process.CommandLine.Contains("mcp-server-everything", StringComparison.Ordinal));

        using (var victim = Process.GetProcessById(server.Pid))
        {
            victim.Kill();
        }

        var unhealthy = await scope.WaitForAsync(machine.MachineId, info => info.Health == MachineHealth.Unhealthy, "the machine reports the crash");
        unhealthy.State.Should().Be(MachineState.Starting);
        unhealthy.Detail.Should().Contain("exited with code").And.Contain("Restarting in");
        (await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        await scope.WaitForAsync(machine.MachineId, info => info is { State: MachineState.Started, Health: MachineHealth.Healthy }, "the restarted server is healthy");
        scope.Runtime.GetServerProcessId(machine.MachineId).Should().NotBe(firstRoot);
        ProcessTree.IsAlive(firstRoot).Should().BeFalse();
        await using var client = await LocalRuntimeScope.ConnectAsync(scope.Upstream(machine.MachineId));
        (await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "back" }, cancellationToken: ct))
            .Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: back");
        var log = await scope.Runtime.GetLogTailAsync(machine.MachineId, 200, ct);
        var starts = ServerOutput.SplitNewestFirst(log).Select(section => section.Label).ToArray();
        starts.Should().HaveCount(2, "the log marks each start, so each run's output can be read apart");
        starts[0].Should().StartWith("Start 2 at ");
        starts[1].Should().StartWith("Start 1 at ");
    }

    [Fact]
    public async Task A_session_survives_a_server_restart_and_is_told_its_lists_may_have_changed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        await using var client = await LocalRuntimeScope.ConnectAsync(scope.Upstream(machine.MachineId));
        var toolListChanges = 0;
        await using var onToolsChanged = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            Interlocked.Increment(ref toolListChanges);
            return ValueTask.CompletedTask;
        });
        var root = scope.Runtime.GetServerProcessId(machine.MachineId)!.Value;

        using (var victim = Process.GetProcessById(ProcessTree.Of(root)[^1].Pid))
        {
            victim.Kill();
        }

        await scope.WaitForAsync(machine.MachineId, info => scope.Runtime.GetServerProcessId(info.MachineId) is { } now && now != root && info.Health == MachineHealth.Healthy, "a new server run is healthy");
        (await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "same session" }, cancellationToken: ct))
            .Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: same session");
        await Eventually.IsTrueAsync(() => Volatile.Read(ref toolListChanges) > 0, "the session hears tools/list_changed on its GET stream");
    }

    [Fact]
    public async Task A_server_that_exits_before_answering_initialize_fails_at_once_with_the_exit_code_and_its_stderr_tail()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope(options => options.MaxConsecutiveCrashes = 3);
        var started = Stopwatch.StartNew();
        var machine = await scope.Runtime.ProvisionAsync(
            LocalRuntimeScope.Misbehaving(new Dictionary<string, string> { ["CRASHING_SERVER_REASON"] = "testing-the-crash-loop" }), ct);

        var failed = await scope.WaitForAsync(machine.MachineId, info => info.State == MachineState.Failed, "the machine gives up");

        started.Elapsed.Should().BeLessThan(scope.Options.InitializeTimeout, "an exit is not waited out");
        failed.Health.Should().Be(MachineHealth.Unhealthy);
        failed.Reason.Should().Be("The server exited with code 3 before answering initialize. It is no longer restarted.", "restarting would fail the same way");
        failed.Detail.Should().Contain("fatal: CRASHING_SERVER_REASON is testing-the-crash-loop");
        var log = await scope.Runtime.GetLogTailAsync(machine.MachineId, 2, ct);
        log.Should().Equal("catwalk-test-misbehaving-server starting", "fatal: CRASHING_SERVER_REASON is testing-the-crash-loop");
        (await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        scope.Runtime.GetServerProcessId(machine.MachineId).Should().BeNull("a failed machine runs nothing");
    }

    [Fact]
    public async Task What_a_failing_server_prints_on_stdout_is_in_its_log_without_this_hosts_paths()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.Runtime.ProvisionAsync(
            LocalRuntimeScope.Misbehaving(new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "chatty" }), ct);

        var failed = await scope.WaitForAsync(machine.MachineId, info => info.State == MachineState.Failed, "the machine gives up");

        failed.Reason.Should().StartWith("The server exited with code 1 before answering initialize.");
        var log = await scope.Runtime.GetLogTailAsync(machine.MachineId, 10, ct);
        log.Should().Contain(line => line.StartsWith("[stdout] usage: misbehaving-server --stdio (installed in ", StringComparison.Ordinal));
        string.Join('\n', log).Should().NotContain(McpServerPackages.Directory, "host paths are removed");
        failed.Detail.Should().NotContain(McpServerPackages.Directory);
    }

    [Fact]
    public async Task A_server_that_opens_a_listening_port_instead_of_speaking_stdio_fails_fast_with_the_stdio_hint_and_leaves_no_process()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var started = Stopwatch.StartNew();
        var machine = await scope.Runtime.ProvisionAsync(
            LocalRuntimeScope.Misbehaving(new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "http" }), ct);
        await Eventually.IsTrueAsync(() => scope.Runtime.GetServerProcessId(machine.MachineId) is not null, "the server runs");
        var tree = ProcessTree.Of(scope.Runtime.GetServerProcessId(machine.MachineId)!.Value);

        var failed = await scope.WaitForAsync(machine.MachineId, info => info.State == MachineState.Failed, "the machine gives up");

        started.Elapsed.Should().BeLessThan(scope.Options.InitializeTimeout, "a listening port is noticed before the initialize timeout");
        failed.Reason.Should().StartWith("The server did not speak MCP on stdio: it opened a listening port (TCP ")
            .And.Contain("it may need an argument such as `--stdio`");
        (await scope.Runtime.GetLogTailAsync(machine.MachineId, 10, ct)).Should().Contain(line => line.StartsWith("[stdout] MCP server listening on http://127.0.0.1:", StringComparison.Ordinal));
        await Eventually.IsTrueAsync(() => tree.All(process => !ProcessTree.IsAlive(process.Pid)), "every process of the tree is gone");
    }

    [Fact]
    public async Task A_server_that_never_answers_initialize_fails_after_the_initialize_timeout_with_the_stdio_hint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope(options => options.InitializeTimeout = TimeSpan.FromSeconds(2));
        var machine = await scope.Runtime.ProvisionAsync(
            LocalRuntimeScope.Misbehaving(new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "silent" }), ct);

        var failed = await scope.WaitForAsync(machine.MachineId, info => info.State == MachineState.Failed, "the machine gives up");

        // (A loaded machine may not have run the server's first line yet: "It wrote nothing..." may follow.)
        failed.Reason.Should().StartWith(
            "The server did not speak MCP on stdio; it may need an argument such as `--stdio` (no answer to initialize within 2 s). It is no longer restarted.");
        scope.Runtime.GetServerProcessId(machine.MachineId).Should().BeNull("the silent server was killed");
    }

    [Fact]
    public async Task Destroying_a_machine_while_its_server_starts_ends_at_once_and_leaves_no_process()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.Runtime.ProvisionAsync(LocalRuntimeScope.Everything(), ct);
        await Eventually.IsTrueAsync(() => scope.Runtime.GetServerProcessId(machine.MachineId) is not null, "the server process runs");
        var root = scope.Runtime.GetServerProcessId(machine.MachineId)!.Value;
        var took = Stopwatch.StartNew();

        await scope.Runtime.DestroyAsync(machine.MachineId, ct).WaitAsync(TimeSpan.FromSeconds(20), ct);

        took.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await scope.Runtime.InspectAsync(machine.MachineId, ct)).Should().BeNull();
        await Eventually.IsTrueAsync(() => !ProcessTree.IsAlive(root), "the server process is gone");
    }

    [Fact]
    public async Task Stopping_a_machine_ends_its_process_tree_and_starting_it_again_serves_on_the_same_url()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        var tree = ProcessTree.Of(scope.Runtime.GetServerProcessId(machine.MachineId)!.Value);
        tree.Should().Contain(process => process.CommandLine.Contains("mcp-server-everything", StringComparison.Ordinal) && process.CommandLine.StartsWith("node ", StringComparison.Ordinal));

        await scope.Runtime.StopAsync(machine.MachineId, ct);

        (await scope.Runtime.InspectAsync(machine.MachineId, ct))!.State.Should().Be(MachineState.Stopped);
        await Eventually.IsTrueAsync(() => tree.All(process => !ProcessTree.IsAlive(process.Pid)), "every process of the tree is gone");
        (await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        await scope.Runtime.StartAsync(machine.MachineId, ct);
        await scope.WaitForAsync(machine.MachineId, info => info.Health == MachineHealth.Healthy, "the server is healthy again");
        (await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        var running = ProcessTree.Of(scope.Runtime.GetServerProcessId(machine.MachineId)!.Value);
        await scope.Runtime.DestroyAsync(machine.MachineId, ct);
        (await scope.Runtime.InspectAsync(machine.MachineId, ct)).Should().BeNull();
        await Eventually.IsTrueAsync(() => running.All(process => !ProcessTree.IsAlive(process.Pid)), "every process of the tree is gone");
        var refused = async () => await Http.GetAsync(new Uri(machine.UpstreamBaseUrl, "status"), ct);
        await refused.Should().ThrowAsync<HttpRequestException>("a destroyed machine's bridge no longer listens");
        await scope.Runtime.DestroyAsync(machine.MachineId, ct); // already gone: not an error
    }

    [Fact]
    public async Task The_bridge_refuses_requests_addressed_to_another_host()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(machine.UpstreamBaseUrl, "status"));
        request.Headers.Host = "attacker.example";

        (await Http.SendAsync(request, ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
