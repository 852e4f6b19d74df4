using System.Net;
using System.Net.Http.Json;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Api;

/// <summary><c>CATWALK_MAX_DEPLOYMENTS_PER_USER</c> through the API: a user at the limit is refused with what to do; admins are exempt.</summary>
public sealed class DeploymentQuotaTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly ApiHost _host = new(postgres);

    public async ValueTask InitializeAsync()
    {
        _host.ExtraSettings[AccessPolicyOptions.MaxDeploymentsPerUserVariable] = "1";
        await _host.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_user_at_the_limit_gets_400_naming_the_limit_and_an_admin_is_not_limited()
    {
        (await CreateAsync(_host.UserA, "first")).StatusCode.Should().Be(HttpStatusCode.Created);

        using var refused = await CreateAsync(_host.UserA, "second");

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ReadJsonAsync(refused);
        problem["errors"]!["deployments"]![0]!.GetValue<string>().Should()
            .Contain("You already have 1 deployments").And.Contain("CATWALK_MAX_DEPLOYMENTS_PER_USER=1").And.Contain("Delete one");
        (await CreateAsync(_host.UserB, "someone-else")).StatusCode.Should().Be(HttpStatusCode.Created, "the limit counts per user");
        (await CreateAsync(_host.Admin, "admin-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await CreateAsync(_host.Admin, "admin-2")).StatusCode.Should().Be(HttpStatusCode.Created, "admins are exempt");
    }

    private async Task<HttpResponseMessage> CreateAsync(ApiUser user, string name)
    {
        using var client = _host.Client(user.Token);
        return await client.PostAsJsonAsync("/api/deployments", new
        {
            name,
            package = McpServerPackages.Misbehaving,
            runtime = "npm",
            env = new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "silent" },
        }, TestContext.Current.CancellationToken);
    }
}
