using System.Text.RegularExpressions;
using Catwalk.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catwalk.Tests.Accounts;

/// <summary>A new user's first minutes in real Chromium: register, create a token in settings, sign out.</summary>
public sealed class AccountBrowserTests(PostgresServer postgres)
{
    [Fact]
    public async Task Register_then_create_a_token_in_settings_then_sign_out_and_be_sent_to_sign_in_from_a_protected_page()
    {
        SetDefaultExpectTimeout(45_000);
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(app.BaseAddress);
        const string email = "browser@example.com";

        await page.GotoAsync("/account/register");
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", "browser passphrase");
        await page.FillAsync("input[name='Input.ConfirmPassword']", "browser passphrase");
        await page.ClickAsync("button[type=submit]:has-text('Register')");

        await page.WaitForURLAsync(new Regex("/$"));
        await Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(email);

        await page.GotoAsync("/settings");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Settings");
        // Until the circuit is up the buttons do nothing.
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        await page.FillAsync("#token-name", "from the browser");
        await page.ClickAsync("[data-testid=create-token]");
        await Expect(page.Locator("#new-token")).ToHaveCountAsync(1);

        var token = await page.InputValueAsync("#new-token");
        token.Should().MatchRegex("^cwp_[A-Za-z0-9_-]{43}$");
        await page.ClickAsync("[data-testid=dismiss-token]");
        await Expect(page.Locator("#new-token")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=token-row]").First).ToContainTextAsync("from the browser");
        (await page.ContentAsync()).Should().NotContain(token);

        await page.ClickAsync("button:has-text('Sign out')");
        await page.WaitForURLAsync(new Regex("/$"));
        await Expect(page.GetByText("Sign in", new PageGetByTextOptions { Exact = true })).ToBeVisibleAsync();

        // Inside the circuit the router, not the server, meets the protected page: it still sends the visitor to sign in.
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        await page.ClickAsync("nav a[href='deployments']");
        await page.WaitForURLAsync(new Regex("/account/login\\?returnUrl=%2Fdeployments$"));
        await page.GotoAsync("/settings");
        await page.WaitForURLAsync(new Regex("/account/login\\?returnUrl=%2Fsettings$"));
    }
}
