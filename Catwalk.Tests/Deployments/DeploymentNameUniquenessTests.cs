using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Web.Ui;
using Catwalk.Web.Components.Deploy;
using Microsoft.AspNetCore.Identity;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Deployments;

/// <summary>Names key a client's mcpServers snippet, so one owner's deployments never share one.</summary>
public sealed class DeploymentNameUniquenessTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_second_deployment_with_the_same_name_gets_409_with_the_clash_and_another_owner_may_use_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_RUNTIME"] = "local";
        _ = app.BaseAddress;
        using var alice = await ClientAsync(app, "alice@example.test");
        using var bob = await ClientAsync(app, "bob@example.test");
        var body = new { name = "tools", package = "@modelcontextprotocol/server-everything", runtime = "npm", env = new Dictionary<string, string>() };

        using var first = await alice.PostAsJsonAsync("/api/deployments", body, ct);
        using var clash = await alice.PostAsJsonAsync("/api/deployments", body, ct);
        using var other = await bob.PostAsJsonAsync("/api/deployments", body, ct);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var firstId = JsonNode.Parse(await first.Content.ReadAsStringAsync(ct))!["id"]!.GetValue<Guid>();
        clash.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = JsonNode.Parse(await clash.Content.ReadAsStringAsync(ct))!;
        problem["name"]!.GetValue<string>().Should().Be("tools");
        problem["existingId"]!.GetValue<Guid>().Should().Be(firstId);
        problem["errors"]!["name"]![0]!.GetValue<string>().Should().Contain("already have a deployment named 'tools'");
        other.StatusCode.Should().Be(HttpStatusCode.Created, "names are unique per owner, not across owners");
    }

    [Fact]
    public async Task The_database_refuses_a_duplicate_name_for_one_owner_even_past_the_check()
    {
        await using var db = PostgresServer.CreateContext(await postgres.CreateDatabaseAsync());
        db.Deployments.Add(NewDeployment("owner-1", "same"));
        db.Deployments.Add(NewDeployment("owner-1", "same"));

        var save = () => db.SaveChangesAsync(TestContext.Current.CancellationToken);

        (await save.Should().ThrowAsync<Microsoft.EntityFrameworkCore.DbUpdateException>())
            .WithInnerException<Npgsql.PostgresException>().Which.ConstraintName.Should().Be(DeploymentNames.UniqueIndex);
    }

    [Fact]
    public async Task The_wizard_says_as_you_type_that_the_name_is_already_yours()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, userId: "namer",
            services: s => s.AddSingleton<IDeploymentNames>(new TakenNames("namer", "github-tools")));
        var draft = new DeployDraft { Name = "github", Package = "@acme/tools", Runtime = PackageRuntime.Npm };
        var editor = ctx.Render<DraftEditor>(p => p.Add(e => e.Draft, draft));

        editor.Find("#draft-name").Input("github-tools");

        editor.WaitForAssertion(() => editor.Markup.Should().Contain("You already have a deployment named 'github-tools'"));
        editor.Find("#draft-name").Input("github-tools-2");
        editor.WaitForAssertion(() => editor.Markup.Should().NotContain("You already have a deployment named"));
    }

    private static Deployment NewDeployment(string owner, string name) => new()
    {
        Id = Guid.NewGuid(), OwnerId = owner, Name = name, Package = "x", Runtime = PackageRuntime.Npm, Status = DeploymentStatus.Pending,
        AccessTokenHash = "h", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static async Task<HttpClient> ClientAsync(CatwalkAppFactory app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = new CatwalkUser { UserName = email, Email = email };
        (await scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>().CreateAsync(user)).Succeeded.Should().BeTrue();
        var token = (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(user.Id, "t", TestContext.Current.CancellationToken)).Token;
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private sealed class TakenNames(string owner, string name) : IDeploymentNames
    {
        public Task<Guid?> FindAsync(string ownerId, string candidate, CancellationToken cancellationToken) =>
            Task.FromResult<Guid?>(ownerId == owner && candidate == name ? Guid.NewGuid() : null);
    }
}
