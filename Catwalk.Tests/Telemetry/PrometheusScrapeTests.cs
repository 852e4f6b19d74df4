using System.Net;
using System.Net.Http.Headers;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Telemetry;

/// <summary><c>/metrics</c> exists only when turned on, and answers only admins and the bearer of the scrape secret.</summary>
public sealed class PrometheusScrapeTests(PostgresServer postgres)
{
    private const string ScrapeToken = "scrape-secret-0123456789abcdef";

    [Fact]
    public async Task The_scrape_endpoint_answers_the_bearer_of_the_scrape_token_and_refuses_anyone_else()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_METRICS_SCRAPE"] = "true";
        app.Settings["CATWALK_METRICS_TOKEN"] = ScrapeToken;
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        using (var anonymous = await client.GetAsync("/metrics", ct))
        {
            anonymous.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-secret") } };
        (await client.SendAsync(wrong, ct)).StatusCode.Should().NotBe(HttpStatusCode.OK);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken) } };
        using var answer = await client.SendAsync(scrape, ct);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        (await answer.Content.ReadAsStringAsync(ct)).Should().Contain("http_server_request_duration_seconds", "Prometheus' text format of the app's meters");
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_scrape_endpoint_and_a_short_token_stops_the_app()
    {
        await using (var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync()))
        {
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken) } };
            (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        await using var misconfigured = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        misconfigured.Settings["CATWALK_METRICS_TOKEN"] = "short";
        var start = () => misconfigured.BaseAddress;
        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*CATWALK_METRICS_TOKEN*at least 24*");
    }
}
