using Catwalk.Core.Deployments;
using Catwalk.Tests.Accounts;
using Catwalk.Tests.Analysis;
using Catwalk.Tests.Fakes.GitHub;
using Catwalk.Tests.Fakes.Registries;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Catwalk.Tests.Web.Browser;

/// <summary>
/// The real app on loopback with the local runtime, the fake GitHub serving a repository of server-everything and the
/// fake npm registry that knows it, plus headless Chromium. Everything is disposed with the host.
/// </summary>
internal sealed class BrowserAppHost : IAsyncDisposable
{
    public const string RepoUrl = "https://github.com/example/everything-server";
    public const string Package = "@modelcontextprotocol/server-everything";
    public const string SecretName = "EVERYTHING_API_KEY";
    public const string AdminEmail = "admin@example.test";
    public const string AdminPassword = "admin browser passphrase";

    private readonly TestRepositories _repositories;

    private BrowserAppHost(TestRepositories repositories, FakeGitHubServer gitHub, FakePackageRegistryServer registries, CatwalkAppFactory app, HeadlessChromium chromium)
    {
        _repositories = repositories;
        GitHub = gitHub;
        Registries = registries;
        App = app;
        Chromium = chromium;
    }

    public FakeGitHubServer GitHub { get; }

    public FakePackageRegistryServer Registries { get; }

    public CatwalkAppFactory App { get; }

    public HeadlessChromium Chromium { get; }

    public DeploymentLifecycle Lifecycle => App.Services.GetRequiredService<DeploymentLifecycle>();

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> under the test output.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public static async Task<BrowserAppHost> StartAsync(PostgresServer postgres, IReadOnlyDictionary<string, string>? settings = null)
    {
        // A repository the analysis reads like the real one: the package, its version and one variable to fill in.
        var repositories = new TestRepositories().Add("example/everything-server", new Dictionary<string, string>
        {
            ["package.json"] = $$"""
                {
                  "name": "{{Package}}",
                  "version": "{{McpServerVersion}}",
                  "description": "MCP server that exercises all the features of the MCP protocol",
                  "bin": { "mcp-server-everything": "dist/index.js" }
                }
                """,
            ["README.md"] = $"# Everything MCP server\n\nRun with `npx -y {Package}`.\n",
            [".env.example"] = $"# Your API key for the everything service\n{SecretName}=\n",
        });
        var gitHub = await FakeGitHubServer.StartAsync(repositories.Root);
        var registries = await FakePackageRegistryServer.StartAsync();
        registries.AddNpm(Package, McpServerVersion, "mcp-server-everything");

        var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_RUNTIME"] = "local";
        app.Settings["CATWALK_MONITOR_INTERVAL"] = "1";
        app.Settings["GITHUB_API_BASE_URL"] = gitHub.BaseAddress.AbsoluteUri;
        app.Settings["NPM_REGISTRY_URL"] = registries.NpmRegistryUrl.AbsoluteUri;
        app.Settings["PYPI_BASE_URL"] = registries.PypiBaseUrl.AbsoluteUri;
        app.Settings["CATWALK_ADMIN_EMAIL"] = AdminEmail;
        app.Settings["CATWALK_ADMIN_PASSWORD"] = AdminPassword;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            app.Settings[name] = value;
        }

        _ = app.BaseAddress;

        var chromium = await HeadlessChromium.LaunchAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
        return new BrowserAppHost(repositories, gitHub, registries, app, chromium);
    }

    /// <summary>The installed server-everything version (npx runs it from the test folder, never downloading).</summary>
    public static string McpServerVersion { get; } = System.Text.Json.JsonDocument.Parse(File.ReadAllText(
        Path.Combine(McpServerPackages.Directory, "node_modules", "@modelcontextprotocol", "server-everything", "package.json")))
        .RootElement.GetProperty("version").GetString()!;

    /// <summary>A page in its own browser context (cookies), allowed to use the clipboard.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = App.BaseAddress.GetLeftPart(UriPartial.Authority) });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>The widths every page is checked and photographed at: a laptop's window and a phone's.</summary>
    public static IReadOnlyList<(int Width, int Height)> Widths { get; } = [(1280, 900), (390, 844)];

    /// <summary>
    /// At each of <see cref="Widths"/>: nothing overflows sideways (the page's scroll width is its client width), every
    /// one of <paramref name="keyActions"/> is visible within the window, and the whole page goes to
    /// <c>&lt;name&gt;-&lt;width&gt;.png</c> in <see cref="ScreenshotDirectory"/>. Leaves the window at the first width.
    /// </summary>
    public static async Task CheckAndPhotographAsync(IPage page, string name, params string[] keyActions)
    {
        foreach (var (width, height) in Widths)
        {
            await page.SetViewportSizeAsync(width, height);
            // The drawer slides open or shut when the width crosses its breakpoint: photograph the page once it settled.
            await TransitionsFinishedAsync(page, $"{name} at {width} px");
            foreach (var action in keyActions)
            {
                await Microsoft.Playwright.Assertions.Expect(page.Locator(action).First).ToBeVisibleAsync();
            }

            try
            {
                await Eventually.ReturnsAsync(
                    () => page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"),
                    size => size[0] <= size[1], $"{name} fits {width} px without scrolling sideways (scroll width, client width)",
                    TimeSpan.FromSeconds(10));
            }
            finally
            {
                // Also when it does not fit: the picture shows what overflows.
                await ScreenshotAsync(page, $"{name}-{width}");
            }

            foreach (var action in keyActions)
            {
                var right = await page.Locator(action).First.EvaluateAsync<double>("e => e.getBoundingClientRect().right");
                right.Should().BeLessThanOrEqualTo(width, $"{action} on {name} is within a {width} px window");
            }
        }

        await page.SetViewportSizeAsync(Widths[0].Width, Widths[0].Height);
        // Back at the first width the responsive drawer opens again: a render of the whole layout, which gives the
        // page's buttons new event handlers. A click sent before that render lands names the old ones and is lost, so
        // the caller's next click waits for it.
        if (await page.Locator(".mud-drawer").CountAsync() > 0)
        {
            await Microsoft.Playwright.Assertions.Expect(page.Locator(".mud-drawer.mud-drawer--open")).ToBeVisibleAsync();
        }

        await TransitionsFinishedAsync(page, $"{name} back at {Widths[0].Width} px");
    }

    private static Task TransitionsFinishedAsync(IPage page, string what) =>
        Eventually.Until(() => page.EvaluateAsync<bool>("() => document.getAnimations().every(a => !(a instanceof CSSTransition))"),
            $"{what} has finished its transitions", TimeSpan.FromSeconds(10));

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Waits until the page's circuit is up: before that, typed text is lost and clicks do nothing.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

    /// <summary>Clicks until the interactive circuit answers (before it is up, a click does nothing).</summary>
    public static Task ClickUntilAsync(IPage page, string selector, string expected, string what) =>
        Eventually.Until(async () =>
        {
            await page.ClickAsync(selector);
            try
            {
                await page.Locator(expected).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, what);

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await App.DisposeAsync();
        await Registries.DisposeAsync();
        await GitHub.DisposeAsync();
        _repositories.Dispose();
    }
}
