using Bunit;
using Catwalk.Web.Components.Layout;
using Catwalk.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>The home page's repository box and the layout's theme toggle.</summary>
public sealed class LayoutAndHomeTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task The_home_box_refuses_a_bad_url_inline_and_starts_the_wizard_with_a_good_one()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken);
        var nav = ctx.Services.GetRequiredService<NavigationManager>();
        var home = ctx.Render<Home>();

        home.Find("#hero-repo-url").Input("https://github.com/owner");
        await home.Find("[data-testid=hero-start]").ClickAsync(new());

        home.Markup.Should().Contain("must name both the owner and the repository");
        nav.Uri.Should().Be(nav.BaseUri);

        home.Find("#hero-repo-url").Input("https://github.com/Owner/Repo.git");
        await home.Find("[data-testid=hero-start]").ClickAsync(new());

        nav.Uri.Should().Be(nav.BaseUri + "deploy?repo=" + Uri.EscapeDataString("https://github.com/owner/repo"));
    }

    [Fact(Timeout = Timeout)]
    public async Task The_theme_follows_the_browsers_stored_choice_and_the_toggle_stores_the_new_one()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, withProviders: false);
        var module = ctx.JSInterop.SetupModule("./js/catwalk.js");
        module.Setup<string?>("getTheme").SetResult("dark");
        module.SetupVoid("setTheme", _ => true).SetVoidResult();

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        layout.WaitForAssertion(() => layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-label").Should().Be("Switch to light theme"));
        layout.Find("[data-testid=theme-toggle]").Click();

        layout.WaitForAssertion(() => layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-label").Should().Be("Switch to dark theme"));
        module.VerifyInvoke("setTheme").Arguments.Should().Equal("light");
    }
}
