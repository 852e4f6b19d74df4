using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Accounts;

public sealed class AdminBootstrapTests(PostgresServer postgres)
{
    private const string Password = "admin passphrase 1";

    [Fact]
    public async Task The_admin_from_the_environment_is_created_once_and_survives_restarts_unchanged()
    {
        var cs = await postgres.CreateDatabaseAsync();
        for (var start = 0; start < 2; start++)
        {
            await using var app = AdminApp(cs, "root@example.com", Password);
            _ = app.BaseAddress;
        }

        await using var db = PostgresServer.CreateContext(cs);
        db.Users.Where(u => u.Email == "root@example.com").Should().ContainSingle();
        db.Roles.Select(r => r.Name).Should().Equal(Viewer.AdminRole);
        await using var check = AdminApp(cs, "root@example.com", Password);
        using var scope = check.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var admin = (await users.FindByEmailAsync("root@example.com"))!;
        (await users.IsInRoleAsync(admin, Viewer.AdminRole)).Should().BeTrue();
        (await users.CheckPasswordAsync(admin, Password)).Should().BeTrue();
    }

    [Fact]
    public async Task An_existing_user_named_by_the_environment_is_promoted_and_keeps_their_password()
    {
        var cs = await postgres.CreateDatabaseAsync();
        await using (var first = new CatwalkAppFactory(cs))
        {
            using var browser = new WebSession(first.BaseAddress);
            await browser.RegisterAsync("later-admin@example.com", "their own passphrase");
        }

        await using var app = AdminApp(cs, "later-admin@example.com", Password);
        _ = app.BaseAddress;

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var user = (await users.FindByEmailAsync("later-admin@example.com"))!;
        (await users.IsInRoleAsync(user, Viewer.AdminRole)).Should().BeTrue();
        (await users.CheckPasswordAsync(user, "their own passphrase")).Should().BeTrue();
    }

    [Fact]
    public async Task A_weak_admin_password_stops_the_app_naming_the_variable()
    {
        await using var app = AdminApp(await postgres.CreateDatabaseAsync(), "root@example.com", "short");

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>().WithMessage("CATWALK_ADMIN_PASSWORD is too short*at least 10 characters*");
    }

    [Fact]
    public async Task An_admin_email_without_a_password_stops_the_app_naming_both_variables()
    {
        var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        await using var _ = app;
        app.Settings["CATWALK_ADMIN_EMAIL"] = "root@example.com";

        var act = () => app.BaseAddress;

        act.Should().Throw<OptionsValidationException>().WithMessage("CATWALK_ADMIN_EMAIL and CATWALK_ADMIN_PASSWORD go together*");
    }

    private static CatwalkAppFactory AdminApp(string cs, string email, string password)
    {
        var app = new CatwalkAppFactory(cs);
        app.Settings["CATWALK_ADMIN_EMAIL"] = email;
        app.Settings["CATWALK_ADMIN_PASSWORD"] = password;
        return app;
    }
}
