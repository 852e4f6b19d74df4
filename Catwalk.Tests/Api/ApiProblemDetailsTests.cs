using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Api;

/// <summary>Every API error is an RFC 9457 problem (application/problem+json) that says what to do, never a page or a stack trace.</summary>
public sealed class ApiProblemDetailsTests(ApiHost host, Fixtures.PostgresServer postgres) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task In_production_unreadable_bodies_and_unknown_routes_are_problems_too()
    {
        await using var app = new Fixtures.CatwalkAppFactory(await postgres.CreateDatabaseAsync(), environment: "Production");
        _ = app.BaseAddress;
        var token = await IssueProductionTokenAsync(app);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        using var unreadable = await client.PostAsync("/api/deployments", content, TestContext.Current.CancellationToken);
        (await ExpectProblemAsync(unreadable, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>().Should().Contain("/openapi/v1.json");

        using var route = await client.GetAsync("/api/nothing-here", TestContext.Current.CancellationToken);
        await ExpectProblemAsync(route, HttpStatusCode.NotFound);
    }

    private static async Task<string> IssueProductionTokenAsync(Fixtures.CatwalkAppFactory app)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Core.Accounts.CatwalkUser>>();
        var user = new Core.Accounts.CatwalkUser { UserName = "prod@example.test", Email = "prod@example.test" };
        (await users.CreateAsync(user)).Succeeded.Should().BeTrue();
        return (await scope.ServiceProvider.GetRequiredService<Core.Accounts.PersonalApiTokens>().CreateAsync(user.Id, "prod", ct)).Token;
    }

    [Fact]
    public async Task An_invalid_deployment_gets_400_with_a_message_per_field()
    {
        using var client = host.Client(host.UserA.Token);

        using var response = await client.PostAsJsonAsync("/api/deployments", new
        {
            name = "Not A Name!",
            repoUrl = "https://gitlab.com/acme/server",
            package = "whatever",
            runtime = "ruby",
            env = new Dictionary<string, string?> { ["1BAD-NAME"] = "x", ["NULLED"] = null },
        }, TestContext.Current.CancellationToken);

        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("name", "repoUrl", "runtime", "env");
        Message(errors, "name").Should().Contain("lowercase letters, digits and hyphens");
        Message(errors, "repoUrl").Should().Contain("github.com");
        Message(errors, "runtime").Should().Contain("\"npm\"").And.Contain("\"pypi\"");
        Message(errors, "env").Should().Contain("'1BAD-NAME' is not a valid environment variable name").And.Contain("'NULLED'");
    }

    [Fact]
    public async Task A_bad_package_name_for_its_runtime_gets_400_naming_the_rule()
    {
        using var client = host.Client(host.UserA.Token);

        using var response = await client.PostAsJsonAsync("/api/deployments",
            new { name = "ok-name", package = "Bad Package!", runtime = "npm", version = "not a version" }, TestContext.Current.CancellationToken);

        var errors = (await ExpectProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("package", "version");
        Message(errors, "package").Should().Contain("not a valid npm package name");
    }

    [Fact]
    public async Task Unreadable_bodies_get_400_problems_without_a_stack_trace()
    {
        using var client = host.Client(host.UserA.Token);
        foreach (var body in new[] { "{not json", "[1, 2]", """{"name": 42}""" })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/deployments", content, TestContext.Current.CancellationToken);

            var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
            problem["detail"]!.GetValue<string>().Should().Contain("/openapi/v1.json");
            problem.ToJsonString().Should().NotContain(" at ").And.NotContain("Exception", body);
        }
    }

    [Fact]
    public async Task Analysis_of_a_bad_url_gets_400_and_of_a_missing_repository_404_with_a_code()
    {
        using var client = host.Client(host.UserA.Token);

        using var bad = await client.PostAsJsonAsync("/api/analyze", new { repoUrl = "ftp://example.com/x" }, TestContext.Current.CancellationToken);
        Message((await ExpectProblemAsync(bad, HttpStatusCode.BadRequest))["errors"]!.AsObject(), "repoUrl").Should().Contain("https");

        using var missing = await client.PostAsJsonAsync("/api/analyze", new { repoUrl = "https://github.com/acme/no-such-repo" }, TestContext.Current.CancellationToken);
        var problem = await ExpectProblemAsync(missing, HttpStatusCode.NotFound);
        problem["code"]!.GetValue<string>().Should().Be("repository_not_found");
    }

    [Fact]
    public async Task Unknown_ids_routes_and_bad_query_values_get_problems()
    {
        using var client = host.Client(host.UserA.Token);
        var id = Guid.NewGuid();

        using var unknown = await client.GetAsync($"/api/deployments/{id}", TestContext.Current.CancellationToken);
        (await ExpectProblemAsync(unknown, HttpStatusCode.NotFound))["detail"]!.GetValue<string>().Should().Contain(id.ToString());

        using var notGuid = await client.GetAsync("/api/deployments/not-a-guid", TestContext.Current.CancellationToken);
        await ExpectProblemAsync(notGuid, HttpStatusCode.NotFound);

        using var route = await client.GetAsync("/api/nothing-here", TestContext.Current.CancellationToken);
        (await ExpectProblemAsync(route, HttpStatusCode.NotFound))["detail"]!.GetValue<string>().Should().Contain("/openapi/v1.json");

        using var tail = await client.GetAsync($"/api/deployments/{id}/logs?tail=0", TestContext.Current.CancellationToken);
        Message((await ExpectProblemAsync(tail, HttpStatusCode.BadRequest))["errors"]!.AsObject(), "tail").Should().Contain("1 to 1000");

        using var credentials = await client.PutAsJsonAsync($"/api/deployments/{id}/credentials", new { }, TestContext.Current.CancellationToken);
        Message((await ExpectProblemAsync(credentials, HttpStatusCode.BadRequest))["errors"]!.AsObject(), "env").Should().Contain("\"env\"");
    }

    [Fact]
    public async Task Unauthorized_and_forbidden_are_problems_too()
    {
        using var anonymous = host.Client();
        using var unauthorized = await anonymous.GetAsync("/api/deployments", TestContext.Current.CancellationToken);
        (await ExpectProblemAsync(unauthorized, HttpStatusCode.Unauthorized))["title"]!.GetValue<string>().Should().Be("Authentication required");

        using var user = host.Client(host.UserA.Token);
        using var forbidden = await user.GetAsync("/api/admin/machines", TestContext.Current.CancellationToken);
        (await ExpectProblemAsync(forbidden, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().Should().Contain("admins only");
    }

    private static async Task<JsonNode> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", body);
        var problem = JsonNode.Parse(body)!;
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        problem["traceId"].Should().NotBeNull("problems carry the trace id to report");
        return problem;
    }

    private static string Message(JsonObject errors, string field) => string.Join(" ", errors[field]!.AsArray().Select(m => m!.GetValue<string>()));
}
