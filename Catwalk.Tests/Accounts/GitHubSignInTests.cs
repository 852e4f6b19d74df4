using System.Net;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fakes.GitHub;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

/// <summary>"Sign in with GitHub" through the whole OAuth round trip against a loopback fake of GitHub.</summary>
public sealed class GitHubSignInTests(PostgresServer postgres) : IAsyncLifetime
{
    private FakeGitHubOAuthServer _github = null!;
    private CatwalkAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _github = await FakeGitHubOAuthServer.StartAsync();
        _app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        _app.Settings["GITHUB_CLIENT_ID"] = FakeGitHubOAuthServer.ClientId;
        _app.Settings["GITHUB_CLIENT_SECRET"] = FakeGitHubOAuthServer.ClientSecret;
        _app.Settings["GITHUB_OAUTH_BASE_URL"] = _github.BaseAddress.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task A_new_github_user_with_a_verified_email_gets_an_account_and_lands_signed_in_where_they_were_going()
    {
        _github.Emails.Add(("octo-new@example.com", true, true));
        using var browser = new WebSession(_app.BaseAddress);

        var (final, visited) = await SignInWithGitHubAsync(browser, "/account/password");

        visited.Should().Contain(u => u.Port == _github.BaseAddress.Port && u.AbsolutePath == "/login/oauth/authorize");
        final.StatusCode.Should().Be(HttpStatusCode.OK);
        final.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/account/password");
        (await final.Content.ReadAsStringAsync(Ct)).Should().Contain("octo-new@example.com").And.Contain("Set a password");
        _github.Refusals.Should().BeEmpty();
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var user = await users.FindByLoginAsync("GitHub", "4242");
        user.Should().NotBeNull();
        user!.Email.Should().Be("octo-new@example.com");
        (await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(10, Ct))
            .Should().Contain(e => e.Action == AuditActions.Register && e.Detail == "github:octocat");
    }

    [Fact]
    public async Task A_github_sign_in_links_the_existing_account_with_the_same_verified_email()
    {
        using (var setup = new WebSession(_app.BaseAddress))
        {
            await setup.RegisterAsync("octo-existing@example.com", "local passphrase");
        }

        _github.Emails.Add(("secondary@example.com", false, true));
        _github.Emails.Add(("octo-existing@example.com", true, true));
        using var browser = new WebSession(_app.BaseAddress);

        var (final, _) = await SignInWithGitHubAsync(browser, "/");

        final.StatusCode.Should().Be(HttpStatusCode.OK);
        browser.HasAuthCookie.Should().BeTrue();
        await using var db = PostgresServer.CreateContext(await ConnectionStringAsync());
        db.Users.Should().ContainSingle();
        db.UserLogins.Should().ContainSingle().Which.ProviderKey.Should().Be("4242");

        // A second sign-in goes straight through the stored link.
        using var again = new WebSession(_app.BaseAddress);
        (await SignInWithGitHubAsync(again, "/")).Final.StatusCode.Should().Be(HttpStatusCode.OK);
        again.HasAuthCookie.Should().BeTrue();
        db.Users.Should().ContainSingle();
    }

    [Fact]
    public async Task Without_a_verified_email_nobody_is_signed_in_and_the_login_page_says_why()
    {
        _github.Emails.Add(("unverified@example.com", true, false));
        using var browser = new WebSession(_app.BaseAddress);

        var (final, _) = await SignInWithGitHubAsync(browser, "/");

        final.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/account/login");
        (await final.Content.ReadAsStringAsync(Ct)).Should().Contain("GitHub did not share a verified email address");
        browser.HasAuthCookie.Should().BeFalse();
        await using var db = PostgresServer.CreateContext(await ConnectionStringAsync());
        db.Users.Should().BeEmpty();
    }

    [Fact]
    public async Task The_login_page_offers_github_only_when_it_is_configured()
    {
        using var browser = new WebSession(_app.BaseAddress);
        (await browser.GetStringAsync("/account/login")).Should().Contain("Sign in with GitHub");

        await using var plain = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        using var other = new WebSession(plain.BaseAddress);
        (await other.GetStringAsync("/account/login")).Should().NotContain("Sign in with GitHub");
    }

    private static async Task<(HttpResponseMessage Final, List<Uri> Visited)> SignInWithGitHubAsync(WebSession browser, string returnUrl)
    {
        var start = await browser.SubmitAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}", formName: null,
            new Dictionary<string, string> { ["returnUrl"] = returnUrl }, postPath: "/account/login/github");
        start.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return await browser.FollowAsync(start);
    }

    private Task<string> ConnectionStringAsync() => Task.FromResult(_app.Settings["DATABASE_URL"]!);
}
