using System.Net;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.Hosting;

namespace Catwalk.Tests.Web;

/// <summary>On Fly, a Blazor circuit stays on the instance that rendered its page: Fly's proxy replays circuit requests
/// there when this instance answers <c>fly-replay</c>.</summary>
public sealed class FlyCircuitAffinityTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Self = "148e21ea7d0589";
    private const string Other = "e784079b449483";
    private CatwalkAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        _app.Settings["CATWALK_RUNTIME"] = "local";
        _app.Settings["FLY_MACHINE_ID"] = Self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_rendered_page_names_this_instance_in_a_cookie()
    {
        using var client = _app.CreateClient();

        using var page = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith($"{FlyCircuitAffinity.CookieName}={Self};", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_circuit_request_for_another_instance_is_replayed_there_by_fly()
    {
        using var client = _app.CreateClient();

        using var response = await SendNegotiateAsync(client, Other);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        response.Headers.GetValues(FlyCircuitAffinity.ReplayHeader).Should().Equal($"instance={Other}");
    }

    [Theory]
    [InlineData(Self, false)]
    [InlineData(null, false)]
    [InlineData(Other, true)]
    [InlineData("not-a-machine!", false)]
    public async Task A_circuit_request_is_served_here_when_it_is_ours_unowned_already_replayed_or_names_no_machine(string? owner, bool alreadyReplayed)
    {
        using var client = _app.CreateClient();

        using var response = await SendNegotiateAsync(client, owner, alreadyReplayed);

        response.Headers.Contains(FlyCircuitAffinity.ReplayHeader).Should().BeFalse();
        response.StatusCode.Should().NotBe(HttpStatusCode.Conflict);
    }

    private static async Task<HttpResponseMessage> SendNegotiateAsync(HttpClient client, string? owner, bool alreadyReplayed = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (owner is not null)
        {
            request.Headers.Add("Cookie", $"{FlyCircuitAffinity.CookieName}={owner}");
        }

        if (alreadyReplayed)
        {
            request.Headers.Add(FlyCircuitAffinity.ReplaySourceHeader, "instance=" + owner + ";region=ams;t=1");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
