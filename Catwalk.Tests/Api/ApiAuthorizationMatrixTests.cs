using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Catwalk.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Api;

/// <summary>
/// Anonymous, user A, user B and an admin against every <c>/api</c> endpoint, with A's running deployment as the
/// target: B gets 404 for it (never 403), the admin sees it, only admins reach the machine endpoints, and only
/// personal API tokens authenticate (a revoked one fails on the very next request).
/// </summary>
public sealed class ApiAuthorizationMatrixTests(ApiHost host) : IClassFixture<ApiHost>, IAsyncLifetime
{
    private SharedDeployment _deployment = null!;

    public async ValueTask InitializeAsync() => _deployment = await host.SharedDeploymentAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Every endpoint, aimed at A's deployment; mutations carry bodies that would be accepted.</summary>
    private IEnumerable<(HttpMethod Method, string Path, object? Body)> DeploymentEndpoints()
    {
        var id = _deployment.Id;
        yield return (HttpMethod.Get, $"/api/deployments/{id}", null);
        yield return (HttpMethod.Get, $"/api/deployments/{id}/events", null);
        yield return (HttpMethod.Get, $"/api/deployments/{id}/logs?tail=5", null);
        yield return (HttpMethod.Post, $"/api/deployments/{id}/stop", null);
        yield return (HttpMethod.Post, $"/api/deployments/{id}/start", null);
        yield return (HttpMethod.Post, $"/api/deployments/{id}/restart", null);
        yield return (HttpMethod.Put, $"/api/deployments/{id}/credentials", new { env = new Dictionary<string, string> { ["OTHER"] = "x" } });
        yield return (HttpMethod.Post, $"/api/deployments/{id}/rotate-token", null);
        yield return (HttpMethod.Delete, $"/api/deployments/{id}", null);
    }

    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> CollectionEndpoints() =>
    [
        (HttpMethod.Get, "/api/deployments", null),
        (HttpMethod.Post, "/api/deployments", new { name = "not-created", package = "", runtime = "npm" }),
        (HttpMethod.Post, "/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo }),
    ];

    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> AdminEndpoints() =>
    [
        (HttpMethod.Get, "/api/admin/machines", null),
        (HttpMethod.Post, "/api/admin/machines/no-such-machine/stop", null),
        (HttpMethod.Post, "/api/admin/machines/no-such-machine/start", null),
        (HttpMethod.Post, "/api/admin/machines/no-such-machine/destroy", null),
        (HttpMethod.Get, "/api/admin/users", null),
        (HttpMethod.Delete, "/api/admin/users/no-such-user", null),
    ];

    [Fact]
    public async Task Anonymous_callers_get_401_problem_details_with_a_bearer_challenge_on_every_endpoint()
    {
        using var client = host.Client();
        foreach (var (method, path, body) in DeploymentEndpoints().Concat(CollectionEndpoints()).Concat(AdminEndpoints()))
        {
            using var response = await SendAsync(client, method, path, body);

            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {path}");
            response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer", $"{method} {path}");
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            var problem = await ApiHost.ReadJsonAsync(response);
            problem["status"]!.GetValue<int>().Should().Be(401);
            problem["detail"]!.GetValue<string>().Should().Contain("create-token");
        }

        await ExpectRunningAsync();
    }

    [Fact]
    public async Task Another_user_gets_404_for_every_action_on_As_deployment_and_nothing_happens_to_it()
    {
        using var client = host.Client(host.UserB.Token);
        foreach (var (method, path, body) in DeploymentEndpoints())
        {
            using var response = await SendAsync(client, method, path, body);

            response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{method} {path}");
            var problem = await ApiHost.ReadJsonAsync(response);
            problem["title"]!.GetValue<string>().Should().Be("Deployment not found");
        }

        using var list = await client.GetAsync("/api/deployments", TestContext.Current.CancellationToken);
        (await ApiHost.ReadJsonAsync(list)).AsArray().Select(d => d!["id"]!.GetValue<string>()).Should().NotContain(_deployment.Id.ToString());

        // The deployment still runs on its original token: B stopped, deleted and rotated nothing.
        await ExpectRunningAsync();
        await using var mcp = await host.ConnectAsync(_deployment.EndpointUrl, _deployment.AccessToken);
        (await mcp.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task The_owner_and_an_admin_can_read_the_deployment_its_events_and_logs()
    {
        foreach (var user in new[] { host.UserA, host.Admin })
        {
            using var client = host.Client(user.Token);
            foreach (var (method, path, _) in DeploymentEndpoints().Where(e => e.Method == HttpMethod.Get))
            {
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"{user.Email}: {method} {path}");
            }

            using var list = await client.GetAsync("/api/deployments", TestContext.Current.CancellationToken);
            (await ApiHost.ReadJsonAsync(list)).AsArray().Select(d => d!["id"]!.GetValue<string>()).Should().Contain(_deployment.Id.ToString());
        }
    }

    [Fact]
    public async Task Creation_and_analysis_are_open_to_every_signed_in_user()
    {
        foreach (var user in new[] { host.UserA, host.UserB, host.Admin })
        {
            using var client = host.Client(user.Token);
            using var create = await client.PostAsJsonAsync("/api/deployments", new { name = "not-created", package = "", runtime = "npm" },
                TestContext.Current.CancellationToken);
            create.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the body is invalid, but the caller got past authorization");

            using var analyze = await client.PostAsJsonAsync("/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo }, TestContext.Current.CancellationToken);
            analyze.StatusCode.Should().Be(HttpStatusCode.OK, await analyze.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            (await ApiHost.ReadJsonAsync(analyze))["package"]!.GetValue<string>().Should().Be("@acme/echo-server");
        }
    }

    [Fact]
    public async Task Users_get_403_on_the_admin_endpoints_and_an_admin_gets_through()
    {
        foreach (var user in new[] { host.UserA, host.UserB })
        {
            using var client = host.Client(user.Token);
            foreach (var (method, path, body) in AdminEndpoints())
            {
                using var response = await SendAsync(client, method, path, body);

                response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{user.Email}: {method} {path}");
                (await ApiHost.ReadJsonAsync(response))["status"]!.GetValue<int>().Should().Be(403);
            }
        }

        using var admin = host.Client(host.Admin.Token);
        foreach (var (method, path, body) in AdminEndpoints().Where(e => e.Method != HttpMethod.Get))
        {
            using var response = await SendAsync(admin, method, path, body);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{method} {path}: the admin gets through to an unknown machine or user");
        }

        using var deleteSelf = await admin.DeleteAsync($"/api/admin/users/{host.Admin.UserId}", TestContext.Current.CancellationToken);
        deleteSelf.StatusCode.Should().Be(HttpStatusCode.Conflict, "an admin cannot delete their own account");
        (await ApiHost.ReadJsonAsync(deleteSelf))["detail"]!.GetValue<string>().Should().Contain("your own account");
        using var users = await admin.GetAsync("/api/admin/users", TestContext.Current.CancellationToken);
        (await ApiHost.ReadJsonAsync(users)).AsArray().Single(u => u!["id"]!.GetValue<string>() == host.UserA.UserId)!["deployments"]!.GetValue<int>()
            .Should().BeGreaterThanOrEqualTo(1);

        using var machines = await admin.GetAsync("/api/admin/machines", TestContext.Current.CancellationToken);
        machines.StatusCode.Should().Be(HttpStatusCode.OK);
        var row = (await ApiHost.ReadJsonAsync(machines)).AsArray()
            .Single(m => m!["deploymentId"]?.GetValue<string>() == _deployment.Id.ToString())!;
        row["owner"]!.GetValue<string>().Should().Be(host.UserA.Email);
        row["runtimeKind"]!.GetValue<string>().Should().Be("Local");
        row["state"]!.GetValue<string>().Should().Be("Started");

        using var destroy = await admin.PostAsync($"/api/admin/machines/{row["machineId"]!.GetValue<string>()}/destroy", null, TestContext.Current.CancellationToken);
        destroy.StatusCode.Should().Be(HttpStatusCode.Conflict, "a deployment's machine is not destroyed from the machine list");
        (await ApiHost.ReadJsonAsync(destroy))["detail"]!.GetValue<string>().Should().Contain("delete the deployment instead");
    }

    [Fact]
    public async Task Only_personal_api_tokens_authenticate()
    {
        string?[] wrong =
        [
            "Bearer " + _deployment.AccessToken,
            "Bearer cwp_" + new string('A', 43),
            "Bearer not-a-token",
            "Basic " + Convert.ToBase64String("user-a@example.test:password"u8.ToArray()),
        ];
        using var client = host.Client();
        foreach (var header in wrong)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, header);
            response.Headers.WwwAuthenticate.Single().Parameter.Should().Contain("invalid_token");
        }
    }

    [Fact]
    public async Task A_signed_in_browser_cookie_does_not_authenticate_the_api()
    {
        using var browser = new Accounts.WebSession(host.App.BaseAddress);
        (await browser.RegisterAsync("cookie-user@example.test", "a long enough password")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.HasAuthCookie.Should().BeTrue();

        using var list = await browser.GetAsync("/api/deployments");
        list.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var create = await browser.Http.PostAsJsonAsync("/api/deployments",
            new { name = "csrf", package = ApiHost.EverythingPackage, runtime = "npm" }, TestContext.Current.CancellationToken);
        create.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a cookie cannot make the API act: no cross-site request forgery");
    }

    [Fact]
    public async Task A_revoked_token_fails_on_the_very_next_request()
    {
        var issued = await host.IssueTokenAsync(host.UserB.UserId, "to-revoke");
        using var client = host.Client(issued.Token);
        using (var before = await client.GetAsync("/api/deployments", TestContext.Current.CancellationToken))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().RevokeAsync(host.UserB.UserId, issued.Id, TestContext.Current.CancellationToken))
                .Should().BeTrue();
        }

        using var after = await client.GetAsync("/api/deployments", TestContext.Current.CancellationToken);
        after.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ApiHost.ReadJsonAsync(after))["detail"]!.GetValue<string>().Should().Contain("revoked");
    }

    private async Task ExpectRunningAsync()
    {
        using var client = host.Client(host.UserA.Token);
        using var response = await client.GetAsync($"/api/deployments/{_deployment.Id}", TestContext.Current.CancellationToken);
        (await ApiHost.ReadJsonAsync(response))["status"]!.GetValue<string>().Should().Be("Running");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
