using System.Net;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

/// <summary>Register, sign in, sign out and change password through real HTTP against the app, as a browser posts the forms.</summary>
public sealed class AccountPagesTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private CatwalkAppFactory _app = null!;

    public async ValueTask InitializeAsync() => _app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private WebSession NewSession() => new(_app.BaseAddress);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(100, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Registering_signs_the_new_user_in_and_returns_to_the_local_page_they_came_from()
    {
        using var browser = NewSession();

        var response = await browser.RegisterAsync("ada@example.com", Password, returnUrl: "/account/password");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.RedirectTarget(response).Should().Be("/account/password");
        browser.HasAuthCookie.Should().BeTrue();
        var page = await browser.GetAsync("/account/password");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.Should().Contain("ada@example.com").And.Contain("Sign out").And.Contain("Change your password");
        (await AuditAsync()).Select(e => (e.Action, e.Target)).Should().Contain([(AuditActions.Register, "ada@example.com"), (AuditActions.SignIn, "ada@example.com")]);
    }

    [Fact]
    public async Task Registration_problems_are_shown_per_field_and_the_passwords_are_not_sent_back()
    {
        using var browser = NewSession();

        var shortPassword = await browser.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "not-an-email",
            ["Input.Password"] = "short1",
            ["Input.ConfirmPassword"] = "different1",
        });

        shortPassword.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await shortPassword.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.Should().Contain("Enter a valid email address")
            .And.Contain("A password has at least 10 characters")
            .And.Contain("The two passwords differ")
            .And.NotContain("short1").And.NotContain("different1");
        browser.HasAuthCookie.Should().BeFalse();
    }

    [Fact]
    public async Task Registering_an_email_twice_is_refused_with_a_hint_to_sign_in()
    {
        using (var first = NewSession())
        {
            await first.RegisterAsync("twice@example.com", Password);
        }

        using var second = NewSession();
        var response = await second.RegisterAsync("twice@example.com", Password);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("An account with this email already exists");
        second.HasAuthCookie.Should().BeFalse();
    }

    [Fact]
    public async Task Signing_in_follows_only_local_return_urls()
    {
        using (var setup = NewSession())
        {
            await setup.RegisterAsync("grace@example.com", Password);
        }

        using var local = NewSession();
        var toLocal = await local.SignInAsync("grace@example.com", Password, returnUrl: "/account/password");
        using var foreign = NewSession();
        var toForeign = await foreign.SignInAsync("grace@example.com", Password, returnUrl: "https://evil.example/steal");
        using var protocolRelative = NewSession();
        var toProtocolRelative = await protocolRelative.SignInAsync("grace@example.com", Password, returnUrl: "//evil.example/steal");

        local.RedirectTarget(toLocal).Should().Be("/account/password");
        foreign.RedirectTarget(toForeign).Should().Be("/");
        protocolRelative.RedirectTarget(toProtocolRelative).Should().Be("/");
        new[] { local, foreign, protocolRelative }.Should().OnlyContain(s => s.HasAuthCookie);
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_email_gets_one_message_and_an_audit_entry()
    {
        using (var setup = NewSession())
        {
            await setup.RegisterAsync("linus@example.com", Password);
        }

        using var browser = NewSession();
        var wrong = await browser.SignInAsync("linus@example.com", "not the password");
        var unknown = await browser.SignInAsync("nobody@example.com", Password);

        foreach (var response in new[] { wrong, unknown })
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            html.Should().Contain("The email or password is wrong").And.NotContain("not the password").And.NotContain(Password);
        }

        browser.HasAuthCookie.Should().BeFalse();
        (await AuditAsync()).Where(e => e.Action == AuditActions.SignInFailed).Select(e => (e.Target, e.Detail))
            .Should().BeEquivalentTo([("linus@example.com", "wrong password"), ("nobody@example.com", "unknown email")]);
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_for_15_minutes_even_against_the_right_password()
    {
        using (var setup = NewSession())
        {
            await setup.RegisterAsync("locked@example.com", Password);
        }

        using var browser = NewSession();
        for (var i = 0; i < 4; i++)
        {
            (await (await browser.SignInAsync("locked@example.com", "wrong password " + i)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
                .Should().Contain("The email or password is wrong");
        }

        var fifth = await (await browser.SignInAsync("locked@example.com", "wrong password 5")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var right = await browser.SignInAsync("locked@example.com", Password);

        fifth.Should().MatchRegex("locked until [0-9]{2}:[0-9]{2} UTC").And.Contain("Try again in 15 minutes");
        right.StatusCode.Should().Be(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("locked until");
        browser.HasAuthCookie.Should().BeFalse();
    }

    [Fact]
    public async Task Signing_out_needs_the_antiforgery_token_and_then_protected_pages_ask_to_sign_in_again()
    {
        using var browser = NewSession();
        await browser.RegisterAsync("out@example.com", Password);

        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" });
        var withoutToken = await browser.Http.PostAsync("/account/logout", forged, TestContext.Current.CancellationToken);
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await browser.GetAsync("/account/password")).StatusCode.Should().Be(HttpStatusCode.OK, "a forged sign-out does nothing");

        var signOut = await browser.SignOutAsync();

        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.RedirectTarget(signOut).Should().Be("/");
        var after = await browser.GetAsync("/account/password");
        after.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.RedirectTarget(after).Should().Be("/account/login?returnUrl=%2Faccount%2Fpassword");
        (await AuditAsync()).Select(e => e.Action).Should().Contain(AuditActions.SignOut);
    }

    [Fact]
    public async Task Changing_the_password_checks_the_current_one_and_the_new_one_works_from_then_on()
    {
        using var browser = NewSession();
        await browser.RegisterAsync("change@example.com", Password);
        const string newPassword = "a brand new passphrase";

        var wrongCurrent = await ChangeAsync(browser, "not my password", newPassword);
        var changed = await ChangeAsync(browser, Password, newPassword);

        wrongCurrent.Should().Contain("The current password is wrong").And.NotContain(newPassword);
        changed.Should().Contain("Your password was changed").And.NotContain(newPassword);
        using var oldPassword = NewSession();
        (await oldPassword.SignInAsync("change@example.com", Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var fresh = NewSession();
        (await fresh.SignInAsync("change@example.com", newPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await browser.GetAsync("/account/password")).StatusCode.Should().Be(HttpStatusCode.OK, "the changing browser stays signed in");
        (await AuditAsync()).Select(e => e.Action).Should().Contain(AuditActions.PasswordChanged);
    }

    private static async Task<string> ChangeAsync(WebSession browser, string current, string next)
    {
        var response = await browser.SubmitAsync("/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
