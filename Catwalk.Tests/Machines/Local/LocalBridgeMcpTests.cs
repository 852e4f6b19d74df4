using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

using Catwalk.Core.Machines;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Machines.Local;

/// <summary>
/// server-everything run by the local runtime, reached with the official MCP C# SDK client over Streamable
/// HTTP at the machine's <c>/mcp</c>.
/// </summary>
public sealed class LocalBridgeMcpTests : IAsyncLifetime
{
    private readonly LocalRuntimeScope _scope = new();
    private Uri _baseUrl = null!;
    private MachineUpstream _upstream = null!;

    public async ValueTask InitializeAsync()
    {
        var machine = await _scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        _baseUrl = machine.UpstreamBaseUrl;
        _upstream = _scope.Upstream(machine.MachineId);
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("a-guess")]
    public async Task Mcp_without_the_machine_secret_is_refused_with_401_while_status_stays_open(string? presentedSecret)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "mcp"))
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        if (presentedSecret is not null)
        {
            request.Headers.Add(MachineSecret.HeaderName, presentedSecret);
        }

        using var refused = await http.SendAsync(request, ct);

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync(ct)).Should().Contain("answers only Catwalk's forwarder").And.NotContain("echo");
        (await http.GetAsync(new Uri(_baseUrl, "status"), ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_client_initializes_lists_tools_calls_echo_and_ends_its_session_with_DELETE_after_which_the_session_is_unknown()
    {
        var ct = TestContext.Current.CancellationToken;
        string sessionId;
        await using (var client = await LocalRuntimeScope.ConnectAsync(_upstream))
        {
            client.ServerInfo!.Name.Should().Contain("everything", "the bridge presents the upstream server as it is");
            client.NegotiatedProtocolVersion.Should().Be("2025-11-25");
            sessionId = client.SessionId!;
            sessionId.Should().NotBeNullOrEmpty();

            var tools = await client.ListToolsAsync(cancellationToken: ct);
            tools.Select(tool => tool.Name).Should().Contain(["echo", "get-env", "trigger-long-running-operation"]);

            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "hello through the bridge" }, cancellationToken: ct);
            echo.IsError.Should().NotBe(true);
            echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: hello through the bridge");
        }

        // Disposing the SDK client sent DELETE for its session: the session id is now unknown.
        using var http = new HttpClient();
        using var request = McpRequest(HttpMethod.Post, sessionId);
        request.Content = new StringContent("""{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, ct);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("2025-03-26")]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Clients_of_each_session_based_revision_get_a_session_of_their_revision(string revision)
    {
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream, revision);

        client.NegotiatedProtocolVersion.Should().Be(revision);
        client.SessionId.Should().NotBeNullOrEmpty();
        (await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = revision }, cancellationToken: TestContext.Current.CancellationToken))
            .Content.OfType<TextContentBlock>().Single().Text.Should().Be($"Echo: {revision}");
    }

    [Fact]
    public async Task An_explicit_DELETE_ends_the_session_and_a_second_one_gets_404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);
        using var http = new HttpClient();

        using var delete = McpRequest(HttpMethod.Delete, client.SessionId!);
        (await http.SendAsync(delete, ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var again = McpRequest(HttpMethod.Delete, client.SessionId!);
        (await http.SendAsync(again, ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var afterDelete = async () => await client.ListToolsAsync(cancellationToken: ct);
        await afterDelete.Should().ThrowAsync<Exception>("the session the client holds no longer exists");
    }

    [Fact]
    public async Task Progress_notifications_of_a_long_running_operation_reach_the_requesting_session()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);
        await using var progress = new ProgressRecorder(client);

        var result = await client.CallToolAsync(
            "trigger-long-running-operation",
            new Dictionary<string, object?> { ["duration"] = 0.6, ["steps"] = 3 },
            options: ProgressRecorder.WithToken("my-progress"),
            cancellationToken: ct);

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Steps: 3");
        (await progress.WaitForAsync(3)).Should().Equal(("my-progress", 1d, 3d), ("my-progress", 2d, 3d), ("my-progress", 3d, 3d));
    }

    [Fact]
    public async Task Progress_notifications_precede_the_response_on_the_request_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);
        using var http = new HttpClient();
        using var request = McpRequest(HttpMethod.Post, client.SessionId!);
        request.Content = new StringContent(
            """{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"trigger-long-running-operation","arguments":{"duration":0.3,"steps":3},"_meta":{"progressToken":17}}}""",
            Encoding.UTF8, "application/json");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var messages = new List<JsonNode>();
        await foreach (var (_, data) in SseEvents.ReadAsync(await response.Content.ReadAsStreamAsync(ct), ct))
        {
            if (data.Length > 0)
            {
                messages.Add(JsonNode.Parse(data)!);
            }
        }

        messages.Select(message => message["method"]?.GetValue<string>() ?? $"response {message["id"]}")
            .Should().Equal("notifications/progress", "notifications/progress", "notifications/progress", "response 41");
        messages.Take(3).Select(message => message["params"]!["progressToken"]!.GetValue<int>()).Should().AllBeEquivalentTo(17, "the client's own token comes back");
    }

    [Fact]
    public async Task A_broken_response_stream_is_resumed_with_Last_Event_ID_and_loses_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);
        using var http = new HttpClient();
        using var post = McpRequest(HttpMethod.Post, client.SessionId!);
        post.Content = new StringContent(
            """{"jsonrpc":"2.0","id":52,"method":"tools/call","params":{"name":"trigger-long-running-operation","arguments":{"duration":1.5,"steps":3},"_meta":{"progressToken":"resume-me"}}}""",
            Encoding.UTF8, "application/json");

        string? lastEventId = null;
        using (var response = await http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, ct))
        {
            await foreach (var (id, data) in SseEvents.ReadAsync(await response.Content.ReadAsStreamAsync(ct), ct))
            {
                lastEventId = id ?? lastEventId;
                if (data.Contains("notifications/progress", StringComparison.Ordinal))
                {
                    break; // The connection drops after the first progress notification.
                }
            }
        }

        lastEventId.Should().NotBeNull("events carry ids so they can be resumed");
        using var resume = McpRequest(HttpMethod.Get, client.SessionId!);
        resume.Headers.Add("Last-Event-ID", lastEventId);
        using var resumed = await http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, ct);
        resumed.StatusCode.Should().Be(HttpStatusCode.OK);
        var rest = new List<JsonNode>();
        await foreach (var (_, data) in SseEvents.ReadAsync(await resumed.Content.ReadAsStreamAsync(ct), ct))
        {
            if (data.Length > 0)
            {
                rest.Add(JsonNode.Parse(data)!);
                if (rest[^1]["id"]?.GetValue<int>() == 52)
                {
                    break;
                }
            }
        }

        rest.Select(message => message["method"]?.GetValue<string>() ?? $"response {message["id"]}")
            .Should().Equal("notifications/progress", "notifications/progress", "response 52");
        rest.Take(2).Select(message => message["params"]!["progress"]!.GetValue<int>()).Should().Equal(2, 3);
    }

    private HttpRequestMessage McpRequest(HttpMethod method, string sessionId)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUrl, "mcp"));
        request.Headers.Add(MachineSecret.HeaderName, _upstream.RequiredHeaders[MachineSecret.HeaderName]);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return request;
    }

    [Fact]
    public async Task Two_concurrent_sessions_stay_independent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var first = await LocalRuntimeScope.ConnectAsync(_upstream);
        await using var second = await LocalRuntimeScope.ConnectAsync(_upstream);
        first.SessionId.Should().NotBe(second.SessionId);
        await using var firstProgress = new ProgressRecorder(first);
        await using var secondProgress = new ProgressRecorder(second);

        // Both use the same progress token at once: each must see only its own operation's progress.
        var firstRun = first.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.8, ["steps"] = 2 }, options: ProgressRecorder.WithToken("shared"), cancellationToken: ct).AsTask();
        var secondRun = second.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.8, ["steps"] = 4 }, options: ProgressRecorder.WithToken("shared"), cancellationToken: ct).AsTask();
        var firstEcho = first.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "one" }, cancellationToken: ct).AsTask();
        var secondEcho = second.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "two" }, cancellationToken: ct).AsTask();
        await Task.WhenAll(firstRun, secondRun, firstEcho, secondEcho);

        (await firstEcho).Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: one");
        (await secondEcho).Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: two");
        (await firstRun).Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Steps: 2");
        (await secondRun).Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Steps: 4");
        (await firstProgress.WaitForAsync(2)).Select(value => (value.Progress, value.Total)).Should().Equal((1d, 2d), (2d, 2d));
        (await secondProgress.WaitForAsync(4)).Select(value => (value.Progress, value.Total)).Should().Equal((1d, 4d), (2d, 4d), (3d, 4d), (4d, 4d));

        // Ending one session leaves the other working.
        await first.DisposeAsync();
        (await second.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still here" }, cancellationToken: ct))
            .Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: still here");
    }

    [Fact]
    public async Task A_client_of_the_session_less_2026_07_28_revision_is_served_per_request()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream, protocolVersion: null);

        client.NegotiatedProtocolVersion.Should().Be("2026-07-28");
        client.SessionId.Should().BeNullOrEmpty();
        (await client.ListToolsAsync(cancellationToken: ct)).Select(tool => tool.Name).Should().Contain("echo");
        await using var progress = new ProgressRecorder(client);
        await client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.4, ["steps"] = 2 }, options: ProgressRecorder.WithToken("stateless"), cancellationToken: ct);
        (await progress.WaitForAsync(2)).Select(value => value.Progress).Should().Equal(1d, 2d);
    }

    [Fact]
    public async Task A_2026_07_28_listen_stream_is_acknowledged_and_carries_updates_of_the_resources_it_names()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream, protocolVersion: null);
        var uri = (await client.ListResourcesAsync(cancellationToken: ct))[0].Uri;
        using var http = new HttpClient();
        using var listen = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "mcp"));
        listen.Headers.Add(MachineSecret.HeaderName, _upstream.RequiredHeaders[MachineSecret.HeaderName]);
        listen.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        listen.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        listen.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        listen.Headers.Add("Mcp-Method", "subscriptions/listen");
        listen.Content = new StringContent(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "listen-1",
            ["method"] = "subscriptions/listen",
            ["params"] = new JsonObject
            {
                ["notifications"] = new JsonObject { ["toolsListChanged"] = true, ["resourceSubscriptions"] = new JsonArray(uri) },
                ["_meta"] = new JsonObject
                {
                    ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                    ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
                    ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "listen-test", ["version"] = "1.0" },
                },
            },
        }.ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await http.SendAsync(listen, HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var received = new List<JsonNode>();
        var triggered = false;
        await foreach (var (_, data) in SseEvents.ReadAsync(await response.Content.ReadAsStreamAsync(ct), ct))
        {
            if (data.Length == 0)
            {
                continue;
            }

            received.Add(JsonNode.Parse(data)!);
            if (!triggered)
            {
                // Acknowledged: now make the server update the resource.
                triggered = true;
                await client.CallToolAsync("toggle-subscriber-updates", cancellationToken: ct);
            }
            else if (received[^1]["method"]?.GetValue<string>() == NotificationMethods.ResourceUpdatedNotification)
            {
                break; // Closing the stream ends the listen request.
            }
        }

        received[0]["method"]!.GetValue<string>().Should().Be(NotificationMethods.SubscriptionsAcknowledgedNotification);
        received[0]["params"]!["notifications"]!["resourceSubscriptions"]!.AsArray().Select(node => node!.GetValue<string>()).Should().Equal(uri);
        received[0]["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!.GetValue<string>().Should().Be("listen-1");
        received[^1]["params"]!["uri"]!.GetValue<string>().Should().Be(uri);
        received[^1]["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!.GetValue<string>().Should().Be("listen-1");
    }

    [Fact]
    public async Task Resources_templates_prompts_and_completions_pass_through()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);

        var resources = await client.ListResourcesAsync(cancellationToken: ct);
        resources.Should().NotBeEmpty();
        var read = await client.ReadResourceAsync(resources[0].Uri, cancellationToken: ct);
        read.Contents.Should().NotBeEmpty();
        (await client.ListResourceTemplatesAsync(cancellationToken: ct)).Should().NotBeEmpty();
        var prompts = await client.ListPromptsAsync(cancellationToken: ct);
        prompts.Select(prompt => prompt.Name).Should().Contain("simple-prompt");
        (await client.GetPromptAsync("simple-prompt", cancellationToken: ct)).Messages.Should().NotBeEmpty();
        client.ServerCapabilities.Completions.Should().NotBeNull();
    }

    [Fact]
    public async Task A_sampling_request_from_the_server_goes_to_the_client_whose_tool_call_caused_it()
    {
        var ct = TestContext.Current.CancellationToken;
        string? prompt = null;
#pragma warning disable MCP9005 // Sampling is deprecated by 2026-07-28; this client speaks 2025-11-25.
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream, handlers: new McpClientHandlers
        {
            SamplingHandler = (request, _, _) =>
            {
                prompt = request!.Messages.Single().Content.OfType<TextContentBlock>().Single().Text;
                return ValueTask.FromResult(new CreateMessageResult { Content = [new TextContentBlock { Text = "sampled by the test client" }], Model = "test-model" });
            },
        });
#pragma warning restore MCP9005
        await using var bystander = await LocalRuntimeScope.ConnectAsync(_upstream);

        var result = await client.CallToolAsync("trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "say hi" }, cancellationToken: ct);

        prompt.Should().Contain("say hi");
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("sampled by the test client").And.Contain("test-model");
    }

    [Fact]
    public async Task An_elicitation_from_the_server_is_answered_by_the_requesting_client()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream, handlers: new McpClientHandlers
        {
            ElicitationHandler = (request, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Ada") },
            }),
        });

        var result = await client.CallToolAsync("trigger-elicitation-request", cancellationToken: ct);

        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text)).Should().Contain("- Name: Ada");
    }

    [Fact]
    public async Task Log_messages_of_the_server_reach_only_sessions_that_set_a_log_level()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await LocalRuntimeScope.ConnectAsync(_upstream);
        await using var bystander = await LocalRuntimeScope.ConnectAsync(_upstream);
        var bystanderMessages = new ConcurrentQueue<string>();
        await using var onBystanderLog = bystander.RegisterNotificationHandler("notifications/message", (notification, _) =>
        {
            bystanderMessages.Enqueue(notification.Params?["data"]?.ToString() ?? "");
            return ValueTask.CompletedTask;
        });
        var messages = new ConcurrentQueue<string>();
        await using var onLog = client.RegisterNotificationHandler("notifications/message", (notification, _) =>
        {
            messages.Enqueue(notification.Params?["data"]?.ToString() ?? "");
            return ValueTask.CompletedTask;
        });
#pragma warning disable MCP9005 // logging/setLevel is deprecated by 2026-07-28; this client speaks 2025-11-25.
        await client.SetLoggingLevelAsync(LoggingLevel.Debug, cancellationToken: ct);
#pragma warning restore MCP9005

        await client.CallToolAsync("toggle-simulated-logging", cancellationToken: ct);

        await Eventually.IsTrueAsync(() => messages.Count(message => message.Contains("message", StringComparison.Ordinal)) >= 2, "simulated log messages arrive");
        await client.CallToolAsync("toggle-simulated-logging", cancellationToken: ct);
        bystanderMessages.Should().BeEmpty("a session that never asked for logging gets no log messages");
    }

    [Fact]
    public async Task A_get_stream_sends_its_response_head_at_once_even_with_no_event_to_send()
    {
        var ct = TestContext.Current.CancellationToken;
        // 2025-06-18: a revision without SSE priming events, so nothing but the fix sends the head early. A raw session,
        // because the SDK's client opens its own GET stream (one per session).
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add(MachineSecret.HeaderName, _upstream.RequiredHeaders[MachineSecret.HeaderName]);
        using var initialize = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        initialize.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var initialized = await http.SendAsync(initialize, ct);
        var sessionId = initialized.Headers.GetValues("Mcp-Session-Id").Single();
        using var ready = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        ready.Headers.Accept.ParseAdd("application/json, text/event-stream");
        ready.Headers.Add("Mcp-Session-Id", sessionId);
        ready.Headers.Add("Mcp-Protocol-Version", "2025-06-18");
        (await http.SendAsync(ready, ct)).IsSuccessStatusCode.Should().BeTrue();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, "mcp"));
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("Mcp-Protocol-Version", "2025-06-18");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headersTimeout.CancelAfter(TimeSpan.FromSeconds(5));

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
    }

    [Fact]
    public async Task A_resource_subscription_delivers_updates_to_the_subscribed_session_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var subscriber = await LocalRuntimeScope.ConnectAsync(_upstream);
        await using var bystander = await LocalRuntimeScope.ConnectAsync(_upstream);
        var uri = (await subscriber.ListResourcesAsync(cancellationToken: ct))[0].Uri;
        var updates = new ConcurrentQueue<string>();
        var bystanderUpdates = new ConcurrentQueue<string>();
        await using var bystanderHandler = bystander.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            bystanderUpdates.Enqueue(notification.Params?["uri"]?.GetValue<string>() ?? "");
            return ValueTask.CompletedTask;
        });

        await subscriber.SubscribeToResourceAsync(uri, (update, _) =>
        {
            updates.Enqueue(update.Uri);
            return ValueTask.CompletedTask;
        }, cancellationToken: ct);
        await subscriber.CallToolAsync("toggle-subscriber-updates", cancellationToken: ct);

        await Eventually.IsTrueAsync(() => updates.Contains(uri), $"an update of {uri} arrives");
        bystanderUpdates.Should().BeEmpty("the other session did not subscribe");
    }
}
