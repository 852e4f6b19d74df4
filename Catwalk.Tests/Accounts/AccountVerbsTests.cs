using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Accounts;

public sealed class AccountVerbsTests(PostgresServer postgres)
{
    private const string Password = "operator passphrase";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_user_makes_a_user_who_can_sign_in_and_with_admin_an_admin()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());
        var (output, error) = (new StringWriter(), new StringWriter());

        var plain = await new CreateUserVerb(output, error).RunAsync(app.Services, Options("--email", "op@example.com", "--password", Password), Ct);
        var admin = await new CreateUserVerb(output, error).RunAsync(app.Services, Options("--email", "boss@example.com", "--password", Password, "--admin"), Ct);

        (plain, admin).Should().Be((0, 0));
        output.ToString().Should().Contain("Created user op@example.com").And.Contain("Created admin boss@example.com").And.NotContain(Password);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var op = (await users.FindByEmailAsync("op@example.com"))!;
        (await users.CheckPasswordAsync(op, Password)).Should().BeTrue();
        (await users.IsInRoleAsync(op, Viewer.AdminRole)).Should().BeFalse();
        (await users.IsInRoleAsync((await users.FindByEmailAsync("boss@example.com"))!, Viewer.AdminRole)).Should().BeTrue();
    }

    [Fact]
    public async Task Create_user_on_an_existing_user_changes_nothing_unless_asked_to_promote()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());
        await new CreateUserVerb(new StringWriter(), new StringWriter()).RunAsync(app.Services, Options("--email", "op@example.com", "--password", Password), Ct);
        var error = new StringWriter();

        var again = await new CreateUserVerb(new StringWriter(), error).RunAsync(
            app.Services, Options("--email", "op@example.com", "--password", "another passphrase"), Ct);
        var promote = await new CreateUserVerb(new StringWriter(), new StringWriter()).RunAsync(
            app.Services, Options("--email", "op@example.com", "--password", "another passphrase", "--admin"), Ct);

        again.Should().Be(1);
        error.ToString().Should().Contain("already exists");
        promote.Should().Be(0);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var op = (await users.FindByEmailAsync("op@example.com"))!;
        (await users.CheckPasswordAsync(op, Password)).Should().BeTrue("the password was not replaced");
        (await users.IsInRoleAsync(op, Viewer.AdminRole)).Should().BeTrue();
    }

    [Fact]
    public async Task Create_user_with_a_weak_password_fails_and_says_why()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());
        var error = new StringWriter();

        var exit = await new CreateUserVerb(new StringWriter(), error).RunAsync(app.Services, Options("--email", "op@example.com", "--password", "short"), Ct);

        exit.Should().Be(1);
        error.ToString().Should().Contain("at least 10 characters");
    }

    [Fact]
    public async Task Create_user_without_an_email_is_a_usage_error()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());

        var act = () => new CreateUserVerb().RunAsync(app.Services, Options("--password", Password), Ct);

        await act.Should().ThrowAsync<CommandLineException>().WithMessage("--email is required.");
    }

    [Fact]
    public async Task Create_token_prints_only_a_token_that_authenticates_as_the_user()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());
        await new CreateUserVerb(new StringWriter(), new StringWriter()).RunAsync(app.Services, Options("--email", "ci@example.com", "--password", Password), Ct);
        var output = new StringWriter();

        var exit = await new CreateTokenVerb(output, new StringWriter()).RunAsync(app.Services, Options("--email", "ci@example.com", "--name", "deploy bot"), Ct);

        exit.Should().Be(0);
        var printed = output.ToString();
        printed.Should().MatchRegex("^cwp_[A-Za-z0-9_-]{43}\\r?\\n$");
        using var scope = app.Services.CreateScope();
        var owner = await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().AuthenticateAsync(printed.Trim(), Ct);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>().FindByEmailAsync("ci@example.com");
        owner.Should().NotBeNull();
        owner!.UserId.Should().Be(user!.Id);
        owner.TokenName.Should().Be("deploy bot");
        (await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(10, Ct)).Should().Contain(e => e.Action == AuditActions.TokenCreated && e.Target == "deploy bot");
    }

    [Fact]
    public async Task Create_token_for_an_unknown_email_fails_without_printing_a_token()
    {
        await using var app = AccountsWebHost.Build(await postgres.CreateDatabaseAsync());
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await new CreateTokenVerb(output, error).RunAsync(app.Services, Options("--email", "ghost@example.com", "--name", "x"), Ct);

        exit.Should().Be(1);
        output.ToString().Should().BeEmpty();
        error.ToString().Should().Contain("There is no user ghost@example.com");
    }

    [Fact]
    public void Both_verbs_are_found_by_name()
    {
        CommandLineVerbs.Find(["create-user", "--email", "x"]).Should().BeOfType<CreateUserVerb>();
        CommandLineVerbs.Find(["create-token"]).Should().BeOfType<CreateTokenVerb>();
    }

    private static CommandLineOptions Options(params string[] args) => new(args);
}
