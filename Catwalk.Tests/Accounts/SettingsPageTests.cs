using System.Security.Claims;
using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Credentials;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.Accounts;
using Catwalk.Web.Components.Pages;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace Catwalk.Tests.Accounts;

/// <summary>The settings page rendered by bUnit over the real account services and a real database.</summary>
public sealed class SettingsPageTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string OpenRouterKey = "sk-or-v1-settings-page-secret-0123456789";
    private readonly BunitContext _ctx = new();
    private IHost _accounts = null!;
    private string _cs = "";
    private string _userId = "";

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _cs = await postgres.CreateDatabaseAsync();
        _accounts = AccountsTestHost.Build(_cs);
        _userId = await AccountsTestHost.AddUserAsync(_cs, "bunit@example.com");
        _ctx.Services.AddDbContextFactory<CatwalkDbContext>(o => o.UseNpgsql(_cs));
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(_accounts.Services.GetRequiredService<ISecretProtector>());
        _ctx.Services.AddScoped<PersonalApiTokens>();
        _ctx.Services.AddScoped<UserOpenRouterKeys>();
        _ctx.Services.AddScoped<AuditLog>();
        _ctx.Services.AddScoped<CurrentViewer>();
        _ctx.Services.AddScoped<Catwalk.Web.Components.Shared.BrowserInterop>();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized("bunit@example.com");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _userId));
        _ctx.Render<MudPopoverProvider>();
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _accounts.Dispose();
    }

    private IRenderedComponent<Settings> RenderPage()
    {
        var page = _ctx.Render<Settings>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=create-token]").Should().ContainSingle(), TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task A_new_token_is_shown_once_then_only_its_name_and_times_remain()
    {
        var page = RenderPage();

        page.Find("#token-name").Input("laptop");
        page.Find("[data-testid=create-token]").Click();

        page.WaitForAssertion(() => page.FindAll("#new-token").Should().ContainSingle(), TimeSpan.FromSeconds(10));
        var token = page.Find("#new-token").GetAttribute("value")!;
        token.Should().MatchRegex("^cwp_[A-Za-z0-9_-]{43}$");
        using (var scope = _accounts.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().AuthenticateAsync(token, Ct))!.UserId.Should().Be(_userId);
        }

        page.Find("[data-testid=copy-token]").Click();
        page.WaitForAssertion(() => _ctx.JSInterop.VerifyInvoke("import").Arguments.Should().Equal("./js/catwalk.js"), TimeSpan.FromSeconds(10));

        page.Find("[data-testid=dismiss-token]").Click();
        page.WaitForAssertion(() => page.FindAll("#new-token").Should().BeEmpty(), TimeSpan.FromSeconds(10));
        page.Markup.Should().NotContain(token);
        page.FindAll("[data-testid=token-row]").Should().ContainSingle().Which.TextContent.Should().Contain("laptop").And.Contain("never");

        var reopened = RenderPage();
        reopened.WaitForAssertion(() => reopened.FindAll("[data-testid=token-row]").Should().ContainSingle(), TimeSpan.FromSeconds(10));
        reopened.Markup.Should().NotContain(token);
        (await AuditAsync()).Should().Contain(e => e.Action == AuditActions.TokenCreated && e.Target == "laptop");
    }

    [Fact]
    public void A_token_without_a_name_is_not_created()
    {
        var page = RenderPage();

        page.Find("[data-testid=create-token]").Click();

        page.WaitForAssertion(() => page.Markup.Should().Contain("Give the token a name"), TimeSpan.FromSeconds(10));
        page.FindAll("#new-token").Should().BeEmpty();
        page.FindAll("[data-testid=no-tokens]").Should().ContainSingle();
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_the_token_stops_working()
    {
        IssuedApiToken issued;
        using (var scope = _accounts.Services.CreateScope())
        {
            issued = await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(_userId, "ci", Ct);
        }

        var dialogs = _ctx.Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => page.FindAll("[data-testid=token-row]").Should().ContainSingle(), TimeSpan.FromSeconds(10));

        page.Find("button[aria-label='Revoke ci']").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("Revoke token?"), TimeSpan.FromSeconds(10));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForAssertion(() => page.FindAll("[data-testid=no-tokens]").Should().ContainSingle(), TimeSpan.FromSeconds(10));
        using (var scope = _accounts.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().AuthenticateAsync(issued.Token, Ct)).Should().BeNull();
        }

        (await AuditAsync()).Should().Contain(e => e.Action == AuditActions.TokenRevoked && e.Target == "ci");
    }

    [Fact]
    public async Task The_openrouter_key_is_saved_but_never_rendered_only_set_or_not_set()
    {
        var page = RenderPage();
        page.Find("[data-testid=openrouter-key-status]").TextContent.Trim().Should().Be("Not set");

        page.Find("#openrouter-key").Input(OpenRouterKey);
        page.Find("[data-testid=save-key]").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=openrouter-key-status]").TextContent.Trim().Should().Be("Set"), TimeSpan.FromSeconds(10));
        page.Markup.Should().NotContain(OpenRouterKey);
        page.Find("#openrouter-key").GetAttribute("value").Should().BeNullOrEmpty();
        page.Find("[data-testid=save-key]").TextContent.Trim().Should().Be("Replace key");
        using (var scope = _accounts.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<UserOpenRouterKeys>().ReadForAnalysisAsync(_userId, Ct)).Should().Be(OpenRouterKey);
        }

        var reopened = RenderPage();
        reopened.WaitForAssertion(() => reopened.Find("[data-testid=openrouter-key-status]").TextContent.Trim().Should().Be("Set"), TimeSpan.FromSeconds(10));
        reopened.Markup.Should().NotContain(OpenRouterKey);
    }

    [Fact]
    public async Task Removing_the_key_asks_first_and_then_shows_not_set()
    {
        using (var scope = _accounts.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserOpenRouterKeys>().SetAsync(_userId, OpenRouterKey, Ct);
        }

        var dialogs = _ctx.Render<MudDialogProvider>();
        var page = RenderPage();
        page.WaitForAssertion(() => page.FindAll("[data-testid=remove-key]").Should().ContainSingle(), TimeSpan.FromSeconds(10));

        page.Find("[data-testid=remove-key]").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("Remove your OpenRouter key?"), TimeSpan.FromSeconds(10));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=openrouter-key-status]").TextContent.Trim().Should().Be("Not set"), TimeSpan.FromSeconds(10));
        using var check = _accounts.Services.CreateScope();
        (await check.ServiceProvider.GetRequiredService<UserOpenRouterKeys>().IsSetAsync(_userId, Ct)).Should().BeFalse();
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        using var scope = _accounts.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(50, Ct);
    }
}
