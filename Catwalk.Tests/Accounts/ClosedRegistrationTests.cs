using System.Net;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

/// <summary><c>CATWALK_REGISTRATION=closed</c>: nobody signs up through the pages; accounts come from create-user and admins.</summary>
public sealed class ClosedRegistrationTests(PostgresServer postgres) : IAsyncLifetime
{
    private CatwalkAppFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        _app.Settings[AccessPolicyOptions.RegistrationVariable] = "closed";
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task The_register_page_says_registration_is_closed_and_offers_no_form_nor_link()
    {
        using var browser = new WebSession(_app.BaseAddress);

        var register = await browser.GetStringAsync("/account/register");
        var login = await browser.GetStringAsync("/account/login");

        register.Should().Contain("Registration is closed on this Catwalk: ask an admin for an account.").And.NotContain("Input.Password");
        login.Should().NotContain("No account yet?");
    }

    [Fact]
    public async Task A_crafted_registration_post_creates_no_account()
    {
        using var browser = new WebSession(_app.BaseAddress);

        // The login page's antiforgery token, posted to the register page as a form it no longer shows.
        await browser.SubmitAsync("/account/login", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "intruder@example.com",
            ["Input.Password"] = "correct horse battery",
            ["Input.ConfirmPassword"] = "correct horse battery",
        }, postPath: "/account/register");

        browser.HasAuthCookie.Should().BeFalse();
        using var scope = _app.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>().FindByEmailAsync("intruder@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task A_bad_value_stops_start_up_naming_the_variable()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings[AccessPolicyOptions.RegistrationVariable] = "sometimes";

        var start = () => app.BaseAddress;

        start.Should().Throw<Exception>().Where(e => e.ToString().Contains("CATWALK_REGISTRATION is 'sometimes'", StringComparison.Ordinal));
    }
}
