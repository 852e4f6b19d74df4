using Bunit;
using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Web.Components.Deployments;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>One deployment's page over the real queries, vault and lifecycle.</summary>
public sealed class DeploymentDetailPageTests(UiAppHost host) : IClassFixture<UiAppHost>
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task Another_users_deployment_is_not_found()
    {
        var theirs = await host.InsertAsync("owner-a", "private-one", DeploymentStatus.Running);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "owner-b");

        var page = ctx.Render<DeploymentDetailPage>(p => p.Add(c => c.Id, theirs.Id));

        page.WaitForElement("[data-testid=deployment-not-found]", TimeSpan.FromSeconds(10));
        page.Markup.Should().NotContain("private-one");
    }

    [Fact(Timeout = Timeout)]
    public async Task The_page_shows_the_timeline_and_credential_names_but_never_their_values_and_follows_status_live()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await host.InsertAsync("owner-detail", "detailed", DeploymentStatus.Running,
            (DeploymentStatus.Pending, "Created", null), (DeploymentStatus.Running, "Healthy: the server answered initialize", null));
        await host.Services.GetRequiredService<ICredentialVault>().ReplaceAllAsync(deployment.Id,
            new Dictionary<string, string> { ["API_KEY"] = "value-that-must-not-show", ["REGION"] = "eu-west" }, ct);
        await using var ctx = new UiTestContext(ct, host, userId: "owner-detail");

        var page = ctx.Render<DeploymentDetailPage>(p => p.Add(c => c.Id, deployment.Id));

        page.WaitForElement("[data-testid=env-names]", TimeSpan.FromSeconds(10)).TextContent.Should().Contain("API_KEY").And.Contain("REGION");
        page.Markup.Should().NotContain("value-that-must-not-show").And.NotContain("eu-west");
        page.FindAll("[data-testid=event]").Select(e => e.GetAttribute("data-status")).Should().Equal("Pending", "Running");
        page.Markup.Should().Contain("Healthy: the server answered initialize");
        page.Find("[data-testid=figure-requests]").TextContent.Should().Be("0");
        page.Find("[data-testid=snippet-code-token]").TextContent.Should().Contain($"https://catwalk.test/api/mcp/{deployment.Id}").And.Contain("YOUR_ACCESS_TOKEN");

        // What the monitor does when a health check fails: write the transition and publish it.
        await host.Services.GetRequiredService<DeploymentTransitions>().ApplyAsync(deployment.Id, DeploymentTrigger.HealthCheckFailed, "Health check failed",
            cancellationToken: ct);

        page.WaitForAssertion(() =>
        {
            page.Find("[data-testid=status-chip]").GetAttribute("data-status").Should().Be("Unhealthy");
            page.FindAll("[data-testid=event]").Select(e => e.GetAttribute("data-status")).Should().Equal("Pending", "Running", "Unhealthy");
        }, TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_failure_after_several_crashes_shows_each_runs_output_in_its_own_block_newest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployment = await host.InsertAsync("owner-crashes", "crashing", DeploymentStatus.Running,
            (DeploymentStatus.Pending, "Created", null), (DeploymentStatus.Running, "Healthy: the server answered initialize", null));
        var at = new DateTimeOffset(2026, 12, 4, 7, 0, 0, TimeSpan.Zero);
        // The output tail as the local runtime logs it: a marker line before each start's output.
        string[] tail =
        [
            "crash one: out of memory",
            ServerOutput.StartMarker(2, at.AddSeconds(2)),
            "starting again",
            "crash two: ECONNREFUSED",
            ServerOutput.StartMarker(3, at.AddSeconds(6)),
            "crash three: missing API_KEY",
        ];
        await host.Services.GetRequiredService<DeploymentTransitions>().ApplyAsync(deployment.Id, DeploymentTrigger.Fail,
            "The server exited with code 1. It crashed 3 times in a row, so it is no longer restarted.", string.Join('\n', tail), cancellationToken: ct);
        await using var ctx = new UiTestContext(ct, host, userId: "owner-crashes");

        var page = ctx.Render<DeploymentDetailPage>(p => p.Add(c => c.Id, deployment.Id));

        page.WaitForElement("[data-testid=failure-reason]", TimeSpan.FromSeconds(10)).TextContent.Should().Contain("crashed 3 times in a row");
        var sections = page.FindAll("[data-testid=failure-section]");
        sections.Select(s => s.QuerySelector("[data-testid=failure-section-label]")!.TextContent.Trim()).Should().Equal(
            "Start 3 at 2026-12-04 07:00:06 UTC (newest)", "Start 2 at 2026-12-04 07:00:02 UTC", "Earlier output");
        sections.Select(s => s.QuerySelector("pre")!.TextContent).Should().Equal(
            "crash three: missing API_KEY", "starting again\ncrash two: ECONNREFUSED", "crash one: out of memory");
        page.Find("[data-testid=failure-section] pre").ClassList.Should().Contain("log-tail", "a scrollable monospace block");
    }

    [Fact(Timeout = Timeout)]
    public async Task Rotating_the_token_asks_first_then_shows_the_new_token_once_and_the_old_hash_is_replaced()
    {
        var deployment = await host.InsertAsync("owner-rotate", "rotating", DeploymentStatus.Stopped);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "owner-rotate");
        var page = ctx.Render<DeploymentDetailPage>(p => p.Add(c => c.Id, deployment.Id));
        page.WaitForElement("[data-testid=rotate-token]", TimeSpan.FromSeconds(10)).Click();

        ctx.Providers.WaitForAssertion(() => ctx.Providers.FindAll(".mud-dialog button").Should().Contain(b => b.TextContent.Trim() == "Rotate"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Rotate").Click();

        var token = page.WaitForElement("#access-token", TimeSpan.FromSeconds(10)).GetAttribute("value");
        token.Should().NotBeNullOrEmpty();
        DeploymentAccessTokens.Hash(token!).Should().Be((await host.FindAsync(deployment.Id))!.AccessTokenHash);
        page.Find("[data-testid=snippet-claude-ai-token]").TextContent.Should().EndWith("?token=" + Uri.EscapeDataString(token!));

        // Shown once: a fresh visit of the page does not have it.
        await using var again = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "owner-rotate");
        var revisit = again.Render<DeploymentDetailPage>(p => p.Add(c => c.Id, deployment.Id));
        revisit.WaitForElement("[data-testid=rotate-token]", TimeSpan.FromSeconds(10));
        revisit.Markup.Should().NotContain(token!);
        revisit.FindAll("#access-token").Should().BeEmpty();
    }
}
