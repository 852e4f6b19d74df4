using System.Text.RegularExpressions;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Catwalk.Tests.Web.Browser;

/// <summary>
/// Every page, signed out and as an admin, at a laptop's and a phone's width in real Chromium: nothing overflows
/// sideways, the page's key actions are in view, and each is photographed into <see cref="BrowserAppHost.ScreenshotDirectory"/>
/// (the wizard's steps are photographed by <see cref="DeployWizardBrowserTests"/>).
/// </summary>
public sealed class PageTourBrowserTests(PostgresServer postgres)
{
    [Fact(Timeout = 300_000)]
    public async Task Every_page_fits_a_laptop_and_a_phone_with_its_key_actions_in_view()
    {
        var ct = TestContext.Current.CancellationToken;
        SetDefaultExpectTimeout(15_000);
        await using var host = await BrowserAppHost.StartAsync(postgres, new Dictionary<string, string>
        {
            // A server that crashes after each start fails after three crashes, a second or two apart.
            ["CATWALK_LOCAL_MAX_CONSECUTIVE_CRASHES"] = "3",
            ["CATWALK_LOCAL_RESTART_BACKOFF_SECONDS"] = "1",
        });
        var running = await DeployAsync(host, "everything", BrowserAppHost.Package, new Dictionary<string, string>(), ct);
        var crashing = await DeployAsync(host, "crash-looping", McpServerPackages.Misbehaving, new Dictionary<string, string>
        {
            [McpServerPackages.MisbehavingModeVariable] = "crash-after-initialize",
            ["CRASHING_SERVER_REASON"] = "the upstream API refused the key",
        }, ct);
        var page = await host.NewPageAsync();

        await page.GotoAsync("/account/login");
        await BrowserAppHost.CheckAndPhotographAsync(page, "sign-in", "button[type=submit]:has-text('Sign in')");
        await page.GotoAsync("/account/register");
        await BrowserAppHost.CheckAndPhotographAsync(page, "register", "button[type=submit]:has-text('Register')");

        await page.GotoAsync("/account/login");
        await page.FillAsync("input[name='Input.Email']", BrowserAppHost.AdminEmail);
        await page.FillAsync("input[name='Input.Password']", BrowserAppHost.AdminPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Regex("/$"));

        await VisitAsync(page, "/", "home", "[data-testid=hero-start]");
        await VisitAsync(page, "/deployments", "deployments", "[data-testid=deployments-table]", "[data-testid=action-delete]");
        await VisitAsync(page, $"/deployments/{running}", "deployment", "[data-testid=action-stop]", "[data-testid=rotate-token]", "[data-testid=update-credentials]");
        await VisitAsync(page, $"/deployments/{crashing}", "deployment-failed", "[data-testid=failure-section]", "[data-testid=action-start]");
        var labels = await page.Locator("[data-testid=failure-section-label]").AllTextContentsAsync();
        labels.Select(l => l.Trim()).Should().HaveCountGreaterThanOrEqualTo(2, "each crash's output is a block of its own")
            .And.Subject.First().Should().MatchRegex("^Start 3 at .* \\(newest\\)$");
        (await page.Locator("[data-testid=failure-section] pre").First.TextContentAsync()).Should()
            .Contain("fatal: CRASHING_SERVER_REASON is the upstream API refused the key")
            .And.NotContain(McpServerPackages.Directory, "this host's paths are removed");
        await VisitAsync(page, "/deploy", "wizard-start", "#repo-url", "[data-testid=repo-analyze]");
        await VisitAsync(page, "/admin/machines", "admin-machines", "[data-testid=runtime-availability]", "[data-testid=machine-stop]");
        await VisitAsync(page, "/settings", "settings", "[data-testid=create-token]", "[data-testid=save-key]");
        // The account pages are static forms (no circuit).
        await page.GotoAsync("/account/password");
        await BrowserAppHost.CheckAndPhotographAsync(page, "change-password", "button[type=submit]");

        await ExpectDrawerSpansLongPageAsync(page, $"/deployments/{running}");
        Directory.GetFiles(BrowserAppHost.ScreenshotDirectory, "*-390.png").Should().HaveCountGreaterThanOrEqualTo(10);
    }

    /// <summary>
    /// The navigation drawer runs from the app bar to the end of a long page (not only the window's first height, which
    /// is where a fixed drawer's edge ends in a full-page picture), and its menu stays in view as the page scrolls.
    /// </summary>
    private static async Task ExpectDrawerSpansLongPageAsync(IPage page, string path)
    {
        await page.SetViewportSizeAsync(1280, 600);
        await page.GotoAsync(path);
        await BrowserAppHost.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=log-tail]")).ToBeVisibleAsync();
        var pageHeight = await page.EvaluateAsync<double>("() => document.documentElement.scrollHeight");
        pageHeight.Should().BeGreaterThan(1000, "the page is longer than the window");

        var drawerBottom = await page.Locator(".mud-drawer").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom + window.scrollY");
        drawerBottom.Should().BeGreaterThanOrEqualTo(pageHeight - 1, "the drawer (and its edge) reaches the end of the page");
        await BrowserAppHost.ScreenshotAsync(page, "drawer-long-page");

        await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
        await Expect(page.Locator(".mud-drawer a:has-text('Deployments')")).ToBeInViewportAsync();
        await page.SetViewportSizeAsync(1280, 900);
    }

    private static async Task VisitAsync(IPage page, string path, string name, params string[] keyActions)
    {
        await page.GotoAsync(path);
        await BrowserAppHost.WaitForCircuitAsync(page);
        await BrowserAppHost.CheckAndPhotographAsync(page, name, keyActions);
    }

    /// <summary>Creates a deployment through the lifecycle and waits until it settles (Running or Failed).</summary>
    private static async Task<Guid> DeployAsync(BrowserAppHost host, string name, string package, Dictionary<string, string> env, CancellationToken ct)
    {
        var created = await host.Lifecycle.CreateAsync(new CreateDeploymentRequest("someone", name, BrowserAppHost.RepoUrl,
            package, PackageRuntime.Npm, null, env), ct);
        var queries = host.App.Services.GetRequiredService<DeploymentQueries>();
        var expected = package == BrowserAppHost.Package ? DeploymentStatus.Running : DeploymentStatus.Failed;
        var settled = await Eventually.ReturnsAsync(async () => (await queries.FindAsync(new Viewer("someone", false), created.Deployment.Id, ct))!,
            d => d.Status == expected, $"{name} is {expected}", TimeSpan.FromSeconds(120));
        return settled.Id;
    }
}
