using System.Text.RegularExpressions;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Microsoft.Playwright.Assertions;

namespace Catwalk.Tests.Web.Browser;

/// <summary>
/// The whole product in real Chromium: a new user signs up, runs the wizard on a repository the fake GitHub serves,
/// deploys server-everything on the local runtime, copies the endpoint and token, and an MCP client uses them.
/// An admin watches a machine appear and stop live.
/// </summary>
public sealed class DeployWizardBrowserTests(PostgresServer postgres)
{
    [Fact(Timeout = 300_000)]
    public async Task A_new_user_signs_up_deploys_from_a_repo_url_and_an_mcp_client_uses_the_copied_endpoint_and_token()
    {
        var ct = TestContext.Current.CancellationToken;
        SetDefaultExpectTimeout(15_000);
        await using var host = await BrowserAppHost.StartAsync(postgres);
        var page = await host.NewPageAsync();

        // Sign up.
        await page.GotoAsync("/account/register");
        await page.FillAsync("input[name='Input.Email']", "newcomer@example.test");
        await page.FillAsync("input[name='Input.Password']", "newcomer passphrase");
        await page.FillAsync("input[name='Input.ConfirmPassword']", "newcomer passphrase");
        await page.ClickAsync("button[type=submit]:has-text('Register')");
        await page.WaitForURLAsync(new Regex("/$"));

        // 1. Repository.
        await page.GotoAsync("/deploy");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Deploy an MCP server");
        await BrowserAppHost.WaitForCircuitAsync(page);
        await page.FillAsync("#repo-url", "https://gitlab.com/example/everything-server");
        await page.ClickAsync("[data-testid=repo-analyze]");
        await Expect(page.Locator("body")).ToContainTextAsync("Only repositories on github.com are supported");
        await page.FillAsync("#repo-url", BrowserAppHost.RepoUrl);
        await BrowserAppHost.CheckAndPhotographAsync(page, "wizard-1-repository", "#repo-url", "[data-testid=repo-analyze]");
        await page.ClickAsync("[data-testid=repo-analyze]");

        // 2. Analysis: the result, editable, with where each field came from.
        await Expect(page.Locator("#draft-package")).ToHaveValueAsync(BrowserAppHost.Package, new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=stage-CheckingPackage], [data-testid=analysis-done]").First).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("Found in package.json");
        await page.FillAsync("#draft-name", "everything");
        await BrowserAppHost.CheckAndPhotographAsync(page, "wizard-2-analysis", "#draft-package", "[data-testid=analysis-continue]");
        await page.ClickAsync("[data-testid=analysis-continue]");

        // 3. Credentials: the secret is masked.
        var secretInput = page.Locator($"#credential-{BrowserAppHost.SecretName}");
        await Expect(secretInput).ToHaveAttributeAsync("type", "password");
        var secret = "browser-secret-" + Guid.NewGuid().ToString("N")[..8];
        await secretInput.FillAsync(secret);
        await BrowserAppHost.CheckAndPhotographAsync(page, "wizard-3-credentials", $"#credential-{BrowserAppHost.SecretName}", "[data-testid=credentials-continue]");
        await page.ClickAsync("[data-testid=credentials-continue]");

        // 4. Deploy, following the lifecycle live.
        await page.ClickAsync("[data-testid=deploy-start]");
        await Expect(page.Locator("[data-testid=deploy-running]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(page.Locator("[data-testid=event][data-status=Provisioning]")).ToHaveCountAsync(1);
        await BrowserAppHost.CheckAndPhotographAsync(page, "wizard-4-deploy", "[data-testid=deploy-running]", "[data-testid=deploy-continue]");
        (await page.ContentAsync()).Should().NotContain(secret, "a credential is never rendered after it was entered");
        await page.ClickAsync("[data-testid=deploy-continue]");

        // 5. Connect: copy the endpoint and the token with the page's buttons, then test the connection.
        await page.ClickAsync("[data-testid=copy-endpoint]");
        var endpoint = await ClipboardAsync(page, previous: "");
        await page.ClickAsync("[data-testid=copy-token]");
        var token = await ClipboardAsync(page, previous: endpoint);
        endpoint.Should().MatchRegex("/api/mcp/[0-9a-f-]{36}$").And.Be(await page.InputValueAsync("#endpoint-url"));
        token.Should().NotBeNullOrWhiteSpace().And.Be(await page.InputValueAsync("#access-token"));
        await Expect(page.Locator("[data-testid=snippet-code]")).ToContainTextAsync($"claude mcp add --transport http everything {endpoint}");
        await page.ClickAsync("[data-testid=test-connection]");
        await Expect(page.Locator("[data-testid=test-tools]")).ToContainTextAsync("echo", new() { Timeout = 60_000 });
        await BrowserAppHost.CheckAndPhotographAsync(page, "wizard-5-connect", "#endpoint-url", "[data-testid=copy-token]", "[data-testid=test-connection]");

        // An MCP client with what was copied.
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(endpoint),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }, NullLoggerFactory.Instance);
        await using var client = await McpClient.CreateAsync(transport, loggerFactory: NullLoggerFactory.Instance, cancellationToken: ct);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "from the wizard" }, cancellationToken: ct);
        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: from the wizard");
        var env = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: ct);
        string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain(secret);

        // The deployments pages at a phone's width: the table folds into cards and the drawer does not cover them.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/deployments");
        await BrowserAppHost.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=deployments-table]")).ToContainTextAsync("everything");
        await BrowserAppHost.ScreenshotAsync(page, "deployments-phone");
        // Playwright refuses to click what something else covers.
        await page.Locator("[data-testid=deployments-table] a:has-text('everything')").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("everything");
        await Expect(page.Locator("[data-testid=env-names]")).ToContainTextAsync(BrowserAppHost.SecretName);
        await BrowserAppHost.ScreenshotAsync(page, "deployment-detail-phone");

        foreach (var step in new[] { "1-repository", "2-analysis", "3-credentials", "4-deploy", "5-connect" })
        {
            File.Exists(Path.Combine(BrowserAppHost.ScreenshotDirectory, $"wizard-{step}-1280.png")).Should().BeTrue();
            File.Exists(Path.Combine(BrowserAppHost.ScreenshotDirectory, $"wizard-{step}-390.png")).Should().BeTrue();
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task An_admins_machines_page_shows_a_machine_appear_and_stop_live()
    {
        var ct = TestContext.Current.CancellationToken;
        SetDefaultExpectTimeout(15_000);
        await using var host = await BrowserAppHost.StartAsync(postgres);
        var page = await host.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("input[name='Input.Email']", BrowserAppHost.AdminEmail);
        await page.FillAsync("input[name='Input.Password']", BrowserAppHost.AdminPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Regex("/$"));

        await page.GotoAsync("/admin/machines");
        await Expect(page.Locator("[data-testid=machines-empty]")).ToBeVisibleAsync();
        // The page follows the feed once its circuit is up.
        await BrowserAppHost.WaitForCircuitAsync(page);

        var created = await host.Lifecycle.CreateAsync(new CreateDeploymentRequest("someone", "watched", BrowserAppHost.RepoUrl,
            BrowserAppHost.Package, Catwalk.Core.Packages.PackageRuntime.Npm, null, new Dictionary<string, string>()), ct);
        var running = await Eventually.ReturnsAsync(async () => (await host.App.Services.GetRequiredService<DeploymentQueries>()
                .FindAsync(new Catwalk.Core.Accounts.Viewer("someone", false), created.Deployment.Id, ct))!,
            d => d.Status is DeploymentStatus.Running or DeploymentStatus.Failed, "the deployment runs", TimeSpan.FromSeconds(120));
        running.Status.Should().Be(DeploymentStatus.Running, running.Error);

        var state = page.Locator($"[data-testid='machine-row-{running.MachineId}'] [data-testid=machine-state]");
        await Expect(state).ToHaveAttributeAsync("data-state", "Started");
        await Expect(page.Locator("[data-testid=machines-table]")).ToContainTextAsync("watched");
        await BrowserAppHost.ScreenshotAsync(page, "admin-machines-running");
        await ExpectFitsAsync(page, 1280, "[data-testid=machine-stop]");
        await page.SetViewportSizeAsync(390, 844);
        await ExpectFitsAsync(page, 390, "[data-testid=machine-stop]");
        await BrowserAppHost.ScreenshotAsync(page, "admin-machines-phone");
        await page.SetViewportSizeAsync(1280, 900);

        await host.Lifecycle.StopAsync(created.Deployment.Id, "Stopped elsewhere", ct);

        await Expect(state).ToHaveAttributeAsync("data-state", "Stopped");
        await Expect(page.Locator("[data-testid=summary-Stopped]")).ToHaveAttributeAsync("data-count", "1");
        await BrowserAppHost.ScreenshotAsync(page, "admin-machines-stopped");
    }

    /// <summary>The page is no wider than the window and <paramref name="action"/> is on screen, without scrolling sideways.</summary>
    private static async Task ExpectFitsAsync(IPage page, int width, string action)
    {
        var pageWidth = await Eventually.ReturnsAsync(() => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"),
            w => w <= width, $"the page fits {width} px", TimeSpan.FromSeconds(10));
        pageWidth.Should().BeLessThanOrEqualTo(width);
        await Expect(page.Locator(action).First).ToBeVisibleAsync();
        var right = await page.Locator(action).First.EvaluateAsync<double>("e => e.getBoundingClientRect().right");
        right.Should().BeLessThanOrEqualTo(width, "the machine's actions are always visible");
    }

    /// <summary>What the last copy button put on the clipboard (waiting until it replaced <paramref name="previous"/>).</summary>
    private static async Task<string> ClipboardAsync(IPage page, string previous) =>
        await Eventually.ReturnsAsync(() => page.EvaluateAsync<string>("() => navigator.clipboard.readText()"),
            text => !string.IsNullOrEmpty(text) && text != previous, "the clipboard has the copied text", TimeSpan.FromSeconds(10));
}
