using System.Net;
using System.Net.Http.Json;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Api;

/// <summary>The app with two requests a minute for analysis, deployment creation and sign-in.</summary>
public sealed class RateLimitedApiHost(PostgresServer postgres) : IAsyncLifetime
{
    public const int Limit = 2;

    public ApiHost Host { get; } = new(postgres);

    public async ValueTask InitializeAsync()
    {
        Host.ExtraSettings["CATWALK_RATE_LIMIT_ANALYZE"] = Limit.ToString();
        Host.ExtraSettings["CATWALK_RATE_LIMIT_DEPLOY"] = Limit.ToString();
        Host.ExtraSettings["CATWALK_RATE_LIMIT_SIGN_IN"] = Limit.ToString();
        await Host.InitializeAsync();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Rate limits per personal token (analysis, creation) and per address (sign-in): 429 with Retry-After and a problem.</summary>
public sealed class RateLimitTests(RateLimitedApiHost limited, PostgresServer postgres) : IClassFixture<RateLimitedApiHost>
{
    private ApiHost Host => limited.Host;

    [Fact]
    public async Task Analysis_is_limited_per_token()
    {
        using var a = Host.Client(Host.UserA.Token);
        for (var i = 0; i < RateLimitedApiHost.Limit; i++)
        {
            using var ok = await a.PostAsJsonAsync("/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo }, TestContext.Current.CancellationToken);
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var refused = await a.PostAsJsonAsync("/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo }, TestContext.Current.CancellationToken);
        await ExpectTooManyAsync(refused);

        using var b = Host.Client(Host.UserB.Token);
        using var other = await b.PostAsJsonAsync("/api/analyze", new { repoUrl = ApiHost.AnalyzedRepo }, TestContext.Current.CancellationToken);
        other.StatusCode.Should().Be(HttpStatusCode.OK, "another token has its own allowance");
    }

    [Fact]
    public async Task Deployment_creation_is_limited_per_token_and_other_endpoints_are_not()
    {
        using var b = Host.Client(Host.UserB.Token);
        var invalid = new { name = "x", package = "", runtime = "npm" };
        for (var i = 0; i < RateLimitedApiHost.Limit; i++)
        {
            using var counted = await b.PostAsJsonAsync("/api/deployments", invalid, TestContext.Current.CancellationToken);
            counted.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }

        using var refused = await b.PostAsJsonAsync("/api/deployments", invalid, TestContext.Current.CancellationToken);
        await ExpectTooManyAsync(refused);

        for (var i = 0; i < RateLimitedApiHost.Limit + 1; i++)
        {
            using var list = await b.GetAsync("/api/deployments", TestContext.Current.CancellationToken);
            list.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Sign_in_posts_are_limited_per_address()
    {
        using var client = Host.Client();
        for (var i = 0; i < RateLimitedApiHost.Limit; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test", ["Input.Password"] = "wrong" });
            using var counted = await client.PostAsync("/account/login", form, TestContext.Current.CancellationToken);
            counted.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests);
        }

        using var last = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test", ["Input.Password"] = "wrong" });
        using var refused = await client.PostAsync("/account/login", last, TestContext.Current.CancellationToken);
        await ExpectTooManyAsync(refused);

        using var page = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);
        page.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests, "only posts count");
    }

    [Fact]
    public async Task A_limit_that_is_not_a_positive_number_stops_the_app_naming_the_variable()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_RATE_LIMIT_DEPLOY"] = "lots";

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>().WithMessage("*CATWALK_RATE_LIMIT_DEPLOY*whole number*");
    }

    private static async Task ExpectTooManyAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        retryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await ApiHost.ReadJsonAsync(response);
        problem["status"]!.GetValue<int>().Should().Be(429);
        problem["detail"]!.GetValue<string>().Should().Contain("try again in");
    }
}
