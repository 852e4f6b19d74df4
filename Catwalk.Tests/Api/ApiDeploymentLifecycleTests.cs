using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Catwalk.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Api;

/// <summary>
/// What a script does with curl: analyse (with the user's own OpenRouter key), create a deployment, wait until it
/// runs, call it through the returned endpoint URL and access token, then rotate, replace credentials, stop, start,
/// restart (also as an admin through the machine endpoints) and delete. Afterwards no response and no log line holds
/// a credential value, a personal token or the OpenRouter key, and an access token appears only in the answer that issued it.
/// </summary>
public sealed class ApiDeploymentLifecycleTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_deployment_made_through_the_api_serves_mcp_and_every_action_works_without_leaking_a_secret()
    {
        var ct = TestContext.Current.CancellationToken;
        var openRouterKey = "sk-or-user-" + Guid.NewGuid().ToString("N");
        var firstSecret = "first-" + Guid.NewGuid().ToString("N");
        var secondSecret = "second-" + Guid.NewGuid().ToString("N");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserOpenRouterKeys>().SetAsync(host.UserA.UserId, openRouterKey, ct);
        }

        using var a = host.Client(host.UserA.Token);
        using var admin = host.Client(host.Admin.Token);

        // Analysis uses A's own OpenRouter key.
        using (var analyze = await a.PostAsJsonAsync("/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo, force = true }, ct))
        {
            analyze.StatusCode.Should().Be(HttpStatusCode.OK);
            var analysis = await ApiHost.ReadJsonAsync(analyze);
            analysis["runtime"]!.GetValue<string>().Should().Be("npm");
            analysis["version"]!.GetValue<string>().Should().Be("1.2.3");
            analysis["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).Should().Contain("ACME_API_KEY");
            analysis["llmUsed"].Should().NotBeNull();
            host.OpenRouter.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Authorization == "Bearer " + openRouterKey);
        }

        // Create: 201 at once, before the machine runs.
        Guid id;
        string accessToken;
        Uri endpointUrl;
        using (var create = await a.PostAsJsonAsync("/api/deployments", new
        {
            name = "api-everything",
            repoUrl = "https://github.com/modelcontextprotocol/servers",
            package = ApiHost.EverythingPackage,
            runtime = "npm",
            env = new Dictionary<string, string> { [ApiHost.SecretName] = firstSecret },
        }, ct))
        {
            create.StatusCode.Should().Be(HttpStatusCode.Created);
            var created = await ApiHost.ReadJsonAsync(create);
            created["status"]!.GetValue<string>().Should().BeOneOf("Pending", "Provisioning");
            id = Guid.Parse(created["id"]!.GetValue<string>());
            created["name"]!.GetValue<string>().Should().Be("api-everything");
            accessToken = created["accessToken"]!.GetValue<string>();
            endpointUrl = new Uri(created["endpointUrl"]!.GetValue<string>());
            endpointUrl.Should().Be(new Uri(host.App.BaseAddress, $"api/mcp/{id}"));
            create.Headers.Location!.ToString().Should().Be($"/api/deployments/{id}");
        }

        var running = await host.WaitForStatusAsync(host.UserA, id, "Running");
        running["envNames"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(ApiHost.SecretName);
        running["package"]!.GetValue<string>().Should().Be(ApiHost.EverythingPackage);
        running["runtimeKind"]!.GetValue<string>().Should().Be("Local");
        running["accessToken"].Should().BeNull("the token is shown only when issued");

        // The MCP endpoint answers with the returned URL and token, and the credential reached the server.
        await using (var mcp = await host.ConnectAsync(endpointUrl, accessToken))
        {
            var echo = await mcp.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through the api" }, cancellationToken: ct);
            echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: through the api");
            var env = await mcp.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: ct);
            string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain(firstSecret);
        }

        using (var events = await a.GetAsync($"/api/deployments/{id}/events", ct))
        {
            (await ApiHost.ReadJsonAsync(events)).AsArray().Select(e => e!["to"]!.GetValue<string>())
                .Should().ContainInOrder("Pending", "Provisioning", "Starting", "Running");
        }

        using (var logs = await a.GetAsync($"/api/deployments/{id}/logs?tail=5", ct))
        {
            logs.StatusCode.Should().Be(HttpStatusCode.OK);
            (await ApiHost.ReadJsonAsync(logs))["lines"]!.AsArray().Count.Should().BeLessThanOrEqualTo(5);
        }

        // Rotate: the old token stops working at once, the new one works.
        string rotated;
        using (var rotate = await a.PostAsync($"/api/deployments/{id}/rotate-token", null, ct))
        {
            rotate.StatusCode.Should().Be(HttpStatusCode.OK);
            rotated = (await ApiHost.ReadJsonAsync(rotate))["accessToken"]!.GetValue<string>();
            rotated.Should().NotBe(accessToken);
        }

        var act = async () => await host.ConnectAsync(endpointUrl, accessToken);
        await act.Should().ThrowAsync<Exception>("the old access token is refused");
        await using (var mcp = await host.ConnectAsync(endpointUrl, rotated))
        {
            (await mcp.ListToolsAsync(cancellationToken: ct)).Should().NotBeEmpty();
        }

        // Replace credentials (as an admin): 202, then the machine is redeployed with them.
        using (var put = await admin.PutAsJsonAsync($"/api/deployments/{id}/credentials",
            new { env = new Dictionary<string, string> { [ApiHost.SecretName] = secondSecret, ["SECOND_SETTING"] = "on" } }, ct))
        {
            put.StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        await WaitForEventAsync(id, "Redeployed and healthy");
        var redeployed = await host.WaitForStatusAsync(host.UserA, id, "Running");
        redeployed["envNames"]!.AsArray().Select(n => n!.GetValue<string>()).Should().BeEquivalentTo(ApiHost.SecretName, "SECOND_SETTING");
        await using (var mcp = await host.ConnectAsync(endpointUrl, rotated))
        {
            var env = await mcp.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: ct);
            string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain(secondSecret).And.NotContain(firstSecret);
        }

        // Stop and start: by the owner, and by an admin through the machine endpoints.
        using (var stop = await a.PostAsync($"/api/deployments/{id}/stop", null, ct))
        {
            stop.StatusCode.Should().Be(HttpStatusCode.Accepted);
            (await ApiHost.ReadJsonAsync(stop))["status"]!.GetValue<string>().Should().Be("Stopping", "the answer reports the status it just wrote");
        }

        await host.WaitForStatusAsync(host.UserA, id, "Stopped");
        (await a.PostAsync($"/api/deployments/{id}/start", null, ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForEventAsync(id, "Started and healthy");
        await host.WaitForStatusAsync(host.UserA, id, "Running");

        using (var machines = await admin.GetAsync("/api/admin/machines", ct))
        {
            var machineId = (await ApiHost.ReadJsonAsync(machines)).AsArray()
                .Single(m => m!["deploymentId"]?.GetValue<string>() == id.ToString())!["machineId"]!.GetValue<string>();
            (await admin.PostAsync($"/api/admin/machines/{machineId}/stop", null, ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await WaitForEventAsync(id, "Stopped by an admin");
            await host.WaitForStatusAsync(host.UserA, id, "Stopped");
            (await admin.PostAsync($"/api/admin/machines/{machineId}/start", null, ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await WaitForEventAsync(id, "Started by an admin");
            await host.WaitForStatusAsync(host.UserA, id, "Running");
        }

        (await a.PostAsync($"/api/deployments/{id}/restart", null, ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForEventAsync(id, "Restart requested", count: 2);
        await host.WaitForStatusAsync(host.UserA, id, "Running");

        // Delete (as an admin): 202, then the deployment is gone for everyone.
        using (var delete = await admin.DeleteAsync($"/api/deployments/{id}", ct))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.Accepted);
            (await ApiHost.ReadJsonAsync(delete))["status"]!.GetValue<string>().Should().Be("Deleting", "the answer reports the status it just wrote");
        }

        await Fixtures.Eventually.Until(async () =>
        {
            using var gone = await a.GetAsync($"/api/deployments/{id}", ct);
            return gone.StatusCode == HttpStatusCode.NotFound;
        }, "the deployment is deleted");

        // Every action was audited under the acting user.
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(100, ct);
            var trail = audit.Where(e => e.Target == id.ToString()).Select(e => (e.UserId, e.Action)).ToList();
            trail.Should().Contain([
                (host.UserA.UserId, "deployment-created"),
                (host.UserA.UserId, "deployment-token-rotated"),
                (host.Admin.UserId, "deployment-credentials-replaced"),
                (host.UserA.UserId, "deployment-stopped"),
                (host.UserA.UserId, "deployment-started"),
                (host.UserA.UserId, "deployment-restarted"),
                (host.Admin.UserId, "deployment-deleted"),
            ]);
            audit.Select(e => e.Action).Should().Contain(["machine-stopped", "machine-started"]);
            audit.Should().OnlyContain(e => e.Detail == null || !e.Detail.Contains("cwp_"));
        }

        // No secret anywhere; each access token only in the one answer that issued it.
        string[] neverShown = [firstSecret, secondSecret, openRouterKey, host.UserA.Token, host.Admin.Token];
        var responses = host.Responses.ToList();
        responses.Should().NotBeEmpty();
        foreach (var response in responses)
        {
            var text = response.Headers + response.Body;
            neverShown.Should().NotContain(s => text.Contains(s, StringComparison.Ordinal), $"{response.Method} {response.Path} must not show a secret");
        }

        responses.Where(r => r.Body.Contains(accessToken, StringComparison.Ordinal)).Select(r => (r.Method, r.Path))
            .Should().Equal([("POST", "/api/deployments")]);
        responses.Where(r => r.Body.Contains(rotated, StringComparison.Ordinal)).Select(r => (r.Method, r.Path))
            .Should().Equal([("POST", $"/api/deployments/{id}/rotate-token")]);
        var lines = host.Logs.Lines.ToList();
        lines.Should().NotBeEmpty();
        foreach (var secret in neverShown.Append(accessToken).Append(rotated))
        {
            lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Waits until the deployment's timeline holds <paramref name="count"/> events with this reason.</summary>
    private async Task WaitForEventAsync(Guid id, string reason, int count = 1)
    {
        using var client = host.Client(host.UserA.Token);
        await Fixtures.Eventually.Until(async () =>
        {
            using var response = await client.GetAsync($"/api/deployments/{id}/events", TestContext.Current.CancellationToken);
            var events = (await ApiHost.ReadJsonAsync(response)).AsArray();
            return events.Count(e => e!["reason"]!.GetValue<string>() == reason) >= count;
        }, $"deployment {id} records '{reason}'", TimeSpan.FromSeconds(90));
    }
}
