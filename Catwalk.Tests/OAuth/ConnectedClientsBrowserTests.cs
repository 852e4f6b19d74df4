using System.Net;
using Catwalk.Tests.Fixtures;
using static Catwalk.Tests.OAuth.OAuthClientSteps;
using static Microsoft.Playwright.Assertions;

namespace Catwalk.Tests.OAuth;

/// <summary>The deployment page's Connected clients in Chromium: the client is listed (name, last used) and Disconnect refuses its next call.</summary>
public sealed class ConnectedClientsBrowserTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_owner_sees_the_connected_client_on_the_deployment_page_and_disconnect_refuses_its_next_request()
    {
        SetDefaultExpectTimeout(60_000);
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var deploymentId = await host.DeployEverythingAsync("disconnect-in-browser");
        var endpoint = host.EndpointOf(deploymentId);
        using var http = new HttpClient();
        var client = await ConnectAsync(http, host, deploymentId, OAuthTestHost.OwnerEmail, "Browser-listed client");
        (await PingAsync(http, endpoint, client.AccessToken)).Should().Be(HttpStatusCode.OK);

        // The same browser is signed in as the owner: open the deployment's page.
        var page = client.Page;
        await page.GotoAsync($"deployments/{deploymentId}");
        // Before the circuit is up a click does nothing (the page is prerendered).
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        var row = page.Locator("[data-testid=connected-client]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Browser-listed client");
        await Expect(row).ToContainTextAsync("127.0.0.1:48123");
        await Expect(row.Locator("[data-testid=connected-client-last-used]")).Not.ToHaveTextAsync("never");

        await row.Locator("[data-testid=disconnect-client]").ClickAsync();
        await Expect(page.Locator("[data-testid=no-connected-clients]")).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Browser-listed client is disconnected");

        (await PingAsync(http, endpoint, client.AccessToken)).Should().Be(HttpStatusCode.Unauthorized, "the very next request after Disconnect is refused");
        (await TokenAsync(http, host, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = client.RefreshToken, ["client_id"] = client.ClientId }))
            .Body.GetProperty("error").GetString().Should().Be("invalid_grant");
    }
}
