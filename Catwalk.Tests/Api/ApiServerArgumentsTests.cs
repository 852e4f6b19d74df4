using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Catwalk.Tests.Api;

/// <summary>
/// Server arguments end to end: a repository whose server.json says to pass <c>stdio</c> is analysed, the argument is
/// proposed, the deployment runs on the local runtime with it and lists its tools through the endpoint; a secret in an
/// argument is stored as a credential and only referenced; bad arguments are refused with a field error.
/// </summary>
public sealed class ApiServerArgumentsTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_proposed_argument_is_deployed_after_the_package_and_the_server_lists_its_tools()
    {
        var ct = TestContext.Current.CancellationToken;
        var secret = "sk-arg-" + Guid.NewGuid().ToString("N");
        using var a = host.Client(host.UserA.Token);

        JsonNode analysis;
        using (var analyze = await a.PostAsJsonAsync("/api/analyze", new { repoUrl = "https://github.com/acme/everything-stdio", force = true }, ct))
        {
            analyze.StatusCode.Should().Be(HttpStatusCode.OK);
            analysis = await ApiHost.ReadJsonAsync(analyze);
        }

        var proposed = analysis["args"]!.AsArray().Select(x => x!["value"]!.GetValue<string>()).ToList();
        proposed.Should().Equal("stdio");
        analysis["args"]![0]!["source"]!.GetValue<string>().Should().Be("server.json");

        Guid id;
        string accessToken;
        Uri endpoint;
        using (var create = await a.PostAsJsonAsync("/api/deployments", new
        {
            name = "everything-args",
            repoUrl = "https://github.com/acme/everything-stdio",
            package = analysis["package"]!.GetValue<string>(),
            runtime = "npm",
            env = new Dictionary<string, string>(),
            args = proposed.Append("--api-key=" + secret).ToArray(),
        }, ct))
        {
            create.StatusCode.Should().Be(HttpStatusCode.Created, await create.Content.ReadAsStringAsync(ct));
            var created = await ApiHost.ReadJsonAsync(create);
            id = Guid.Parse(created["id"]!.GetValue<string>());
            accessToken = created["accessToken"]!.GetValue<string>();
            endpoint = new Uri(created["endpointUrl"]!.GetValue<string>());
        }

        var running = await host.WaitForStatusAsync(host.UserA, id, "Running");
        running["args"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("stdio", "--api-key=${API_KEY}");
        running["envNames"]!.AsArray().Select(x => x!.GetValue<string>()).Should().Equal("API_KEY");
        await using (var mcp = await host.ConnectAsync(endpoint, accessToken))
        {
            (await mcp.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).Should().Contain("echo");
        }

        host.Responses.Should().NotContain(r => r.Body.Contains(secret, StringComparison.Ordinal), "a secret argument is stored as a credential, never shown");
        host.Logs.Lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_argument_reaches_the_server_a_wrong_one_shows_in_its_log()
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = host.Client(host.UserA.Token);
        using var create = await a.PostAsJsonAsync("/api/deployments", new
        {
            name = "everything-bad-transport",
            package = ApiHost.EverythingPackage,
            runtime = "npm",
            env = new Dictionary<string, string>(),
            args = new[] { "no-such-transport" },
        }, ct);
        create.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = Guid.Parse((await ApiHost.ReadJsonAsync(create))["id"]!.GetValue<string>());

        await Fixtures.Eventually.Until(async () =>
        {
            using var logs = await a.GetAsync($"/api/deployments/{id}/logs?tail=50", ct);
            return (await logs.Content.ReadAsStringAsync(ct)).Contains("Unknown transport: no-such-transport", StringComparison.Ordinal);
        }, "the server reports the argument it was given");
        (await a.DeleteAsync($"/api/deployments/{id}", ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("""["a\nb"]""", "line break")]
    [InlineData("""["${MISSING_CREDENTIAL}"]""", "${MISSING_CREDENTIAL}")]
    [InlineData("""[null]""", "null")]
    public async Task Bad_arguments_are_a_field_error(string args, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = host.Client(host.UserA.Token);
        var body = "{\"name\": \"bad-args\", \"package\": \"" + ApiHost.EverythingPackage + "\", \"runtime\": \"npm\", \"env\": {}, \"args\": " + args + "}";
        using var create = await a.PostAsync("/api/deployments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ReadJsonAsync(create);
        problem["errors"]!["args"]![0]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task Too_many_arguments_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = host.Client(host.UserA.Token);
        using var create = await a.PostAsJsonAsync("/api/deployments", new
        {
            name = "many-args",
            package = ApiHost.EverythingPackage,
            runtime = "npm",
            env = new Dictionary<string, string>(),
            args = Enumerable.Repeat("x", 33).ToArray(),
        }, ct);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ApiHost.ReadJsonAsync(create))["errors"]!["args"]![0]!.GetValue<string>().Should().Contain("at most 32");
    }
}
