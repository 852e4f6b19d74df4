using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Mcp;

/// <summary>
/// server-everything deployed through the lifecycle on the local runtime, reached through <c>/api/mcp/{id}</c>
/// with the official MCP C# SDK client: the whole path a user's MCP client takes.
/// </summary>
public sealed class McpEndpointTests(McpEndpointHost host) : IClassFixture<McpEndpointHost>, IAsyncLifetime
{
    private (Guid Id, string Token, string Secret) Shared { get; set; }

    public async ValueTask InitializeAsync() => Shared = await host.SharedDeploymentAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_client_initializes_lists_tools_calls_echo_gets_progress_reads_a_credential_and_ends_its_session()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, secret) = Shared;
        string sessionId;
        await using (var client = await host.ConnectAsync(id, token))
        {
            sessionId = client.SessionId!;
            sessionId.Should().NotBeNullOrEmpty();

            var tools = await client.ListToolsAsync(cancellationToken: ct);
            tools.Select(t => t.Name).Should().Contain(["echo", "get-env", "trigger-long-running-operation"]);

            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through catwalk" }, cancellationToken: ct);
            echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: through catwalk");

            await using var progress = new ProgressRecorder(client);
            var longRun = await client.CallToolAsync("trigger-long-running-operation",
                new Dictionary<string, object?> { ["duration"] = 0.6, ["steps"] = 3 }, options: ProgressRecorder.WithToken("p1"), cancellationToken: ct);
            longRun.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Steps: 3");
            (await progress.WaitForAsync(3)).Select(p => p.Progress).Should().Equal(1d, 2d, 3d);

            var env = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: ct);
            string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text))
                .Should().Contain(McpEndpointHost.SecretName).And.Contain(secret, "the credential reaches the server's environment");
        }

        // Disposing the client sent DELETE through the endpoint: the session is gone upstream.
        using var http = new HttpClient();
        using var request = RawPost(host.EndpointOf(id), token, """{"jsonrpc":"2.0","id":9,"method":"tools/list"}""");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        (await http.SendAsync(request, ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_concurrent_sessions_each_see_only_their_own_responses_and_progress()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        await using var first = await host.ConnectAsync(id, token);
        await using var second = await host.ConnectAsync(id, token);
        await using var firstProgress = new ProgressRecorder(first);
        await using var secondProgress = new ProgressRecorder(second);

        var runs = new[]
        {
            first.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.6, ["steps"] = 2 }, options: ProgressRecorder.WithToken("same"), cancellationToken: ct).AsTask(),
            second.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.6, ["steps"] = 4 }, options: ProgressRecorder.WithToken("same"), cancellationToken: ct).AsTask(),
            first.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "one" }, cancellationToken: ct).AsTask(),
            second.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "two" }, cancellationToken: ct).AsTask(),
        };
        await Task.WhenAll(runs);

        (await runs[2]).Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: one");
        (await runs[3]).Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: two");
        (await firstProgress.WaitForAsync(2)).Select(p => p.Total).Should().AllBeEquivalentTo(2d);
        (await secondProgress.WaitForAsync(4)).Select(p => p.Total).Should().AllBeEquivalentTo(4d);
    }

    [Fact]
    public async Task A_session_less_2026_07_28_client_works_and_its_tool_calls_are_counted_per_tool()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        await using var client = await host.ConnectAsync(id, token, protocolVersion: "2026-07-28");

        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "stateless" }, cancellationToken: ct);

        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: stateless");
        client.SessionId.Should().BeNull("the 2026-07-28 revision has no sessions");
        host.App.Services.GetRequiredService<DeploymentActivity>().Get(id).ToolCalls
            .Should().ContainKey("echo", "Mcp-Method and Mcp-Name headers feed the per-tool figures");
    }

    [Fact]
    public async Task A_missing_or_wrong_token_gets_401_with_a_bearer_challenge_and_a_json_rpc_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, _, _) = Shared;
        using var http = new HttpClient();

        foreach (var token in new[] { null, "cwd_wrong" })
        {
            using var request = RawPost(host.EndpointOf(id), token, Initialize);
            using var response = await http.SendAsync(request, ct);

            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.Single().Scheme.Should().Be("Bearer");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            body["jsonrpc"]!.GetValue<string>().Should().Be("2.0");
            body["error"]!["message"]!.GetValue<string>().Should().Contain("access token");
        }
    }

    [Fact]
    public async Task A_token_that_matched_before_does_not_let_a_wrong_one_of_the_same_length_through()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        using var http = new HttpClient();
        // The last character changed: same length, so only the comparison itself can tell them apart.
        var wrong = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        foreach (var (presented, expected) in new[] { (token, HttpStatusCode.OK), (wrong, HttpStatusCode.Unauthorized), (token, HttpStatusCode.OK) })
        {
            using var request = RawPost(host.EndpointOf(id), presented, Initialize);
            using var response = await http.SendAsync(request, ct);
            response.StatusCode.Should().Be(expected);
        }
    }

    [Fact]
    public async Task An_unknown_or_malformed_deployment_id_gets_404_with_a_json_rpc_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient();

        foreach (var path in new[] { $"api/mcp/{Guid.NewGuid()}", "api/mcp/not-a-guid" })
        {
            using var request = RawPost(new Uri(host.App.BaseAddress, path), Shared.Token, Initialize);
            using var response = await http.SendAsync(request, ct);

            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["error"]!["code"]!.GetValue<int>().Should().BeNegative();
        }
    }

    [Fact]
    public async Task The_token_may_come_in_the_query_string_for_clients_that_only_take_a_url()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        using var http = new HttpClient();
        using var request = RawPost(new Uri(host.EndpointOf(id) + "?token=" + Uri.EscapeDataString(token)), null, Initialize);

        using var response = await http.SendAsync(request, ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Mcp-Session-Id").Should().BeTrue("the upstream's session header passes through unchanged");
        (await response.Content.ReadAsStringAsync(ct)).Should().Contain("serverInfo");
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_a_foreign_origin_gets_403()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        using var http = new HttpClient();

        using var large = RawPost(host.EndpointOf(id), token, """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""" + "\"" + new string('x', 100_000) + "\"}}");
        (await http.SendAsync(large, ct)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        using var foreign = RawPost(host.EndpointOf(id), token, Initialize);
        foreign.Headers.Add("Origin", "https://evil.example");
        (await http.SendAsync(foreign, ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_cors_preflight_is_answered_for_an_allowed_origin_only_and_its_calls_may_read_the_session_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = Shared;
        using var http = new HttpClient();

        foreach (var (origin, allowed) in new[] { (McpEndpointHost.AllowedOrigin, true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, host.EndpointOf(id));
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, mcp-protocol-version");
            using var answer = await http.SendAsync(preflight, ct);

            answer.IsSuccessStatusCode.Should().BeTrue("a preflight is not a 405 ({0})", origin);
            if (allowed)
            {
                answer.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(origin);
                string.Join(",", answer.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant()
                    .Should().Contain("authorization").And.Contain("mcp-protocol-version");
            }
            else
            {
                answer.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("an origin not in CATWALK_ALLOWED_ORIGINS gets no CORS headers");
            }
        }

        using var call = RawPost(host.EndpointOf(id), token, Initialize);
        call.Headers.Add("Origin", McpEndpointHost.AllowedOrigin);
        using var response = await http.SendAsync(call, ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(McpEndpointHost.AllowedOrigin);
        string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")).Should().Contain("Mcp-Session-Id");
    }

    [Fact]
    public async Task A_stopped_deployment_is_woken_by_the_first_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = await host.DeployEverythingAsync("sleepy");
        await host.Lifecycle.StopAsync(id, "Stopped by the test", ct);
        (await host.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Stopped);

        // Two clients at once share one wake.
        var clients = await Task.WhenAll(host.ConnectAsync(id, token), host.ConnectAsync(id, token));
        foreach (var client in clients)
        {
            (await client.ListToolsAsync(cancellationToken: ct)).Should().NotBeEmpty();
            await client.DisposeAsync();
        }

        var deployment = await host.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Running);
        deployment.Events.Count(e => e.Reason == "Woken by a request").Should().Be(1);
    }

    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    internal static HttpRequestMessage RawPost(Uri endpoint, string? token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
