using System.Net;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Web;

public sealed class HealthEndpointTests(PostgresServer postgres)
{
    [Fact]
    public async Task Ready_reports_a_migrated_database_and_the_home_page_renders_the_layout()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var ct = TestContext.Current.CancellationToken;

        (await http.GetAsync("/health", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await http.GetAsync("/health/ready", ct);
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync(ct)).Should().Contain("\"database\"").And.Contain("Healthy");

        var home = await http.GetStringAsync("/", ct);
        home.Should().Contain("mud-appbar").And.Contain("Run any MCP server as a remote endpoint");
    }

    [Fact]
    public async Task Production_refuses_to_start_against_a_database_with_pending_migrations()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync();
        await using var app = new CatwalkAppFactory(empty, environment: "Production");

        var act = () => app.BaseAddress;

        act.Should().Throw<InvalidOperationException>().WithMessage("*pending migration*migrate*");
    }
}
