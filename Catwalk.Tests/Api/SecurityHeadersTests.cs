using System.Collections.Concurrent;
using Catwalk.Tests.Fixtures;
using Microsoft.Playwright;

namespace Catwalk.Tests.Api;

/// <summary>Security headers on every kind of response, and a CSP that the Blazor Server circuit and MudBlazor work under in Chromium.</summary>
public sealed class SecurityHeadersTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Pages_api_answers_documents_assets_and_mcp_errors_all_carry_the_headers()
    {
        using var client = host.Client();
        foreach (var path in new[] { "/", "/api/deployments", "/openapi/v1.json", "/health", "/app.css", "/no-such-page", $"/api/mcp/{Guid.NewGuid()}" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

            response.Headers.TryGetValues("Content-Security-Policy", out var policies).Should().BeTrue(path);
            var csp = string.Join(";", policies!);
            csp.Should().Contain("frame-ancestors 'none'", path).And.Contain("script-src 'self';", path).And.Contain("connect-src 'self'", path);
            csp.Should().NotContain("'unsafe-eval'", path);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], path);
            response.Headers.GetValues("Referrer-Policy").Should().Equal(["no-referrer"], path);
            response.Headers.GetValues("X-Frame-Options").Should().Equal(["DENY"], path);
        }
    }

    [Fact]
    public async Task The_home_page_runs_its_circuit_in_chromium_without_a_csp_violation()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(host.App.BaseAddress);
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("pageerror: " + error);
        var circuit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, _) => circuit.TrySetResult();
            }
        };
        // Init scripts are injected by the browser, outside the page's CSP.
        await page.AddInitScriptAsync(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");

        var response = await page.GotoAsync(host.App.BaseAddress.AbsoluteUri);
        response!.Ok.Should().BeTrue();
        await circuit.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Run any MCP server as a remote endpoint" }).WaitForAsync();
        // A round trip over the circuit after start-up: the page is interactive.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        (await page.EvaluateAsync<string[]>("() => window.__csp")).Should().BeEmpty();
        console.Should().NotContain(line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.StartsWith("pageerror", StringComparison.Ordinal));
    }
}
