using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.Components.Deployments;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>The deployments list over the real queries, lifecycle and status feed.</summary>
public sealed class DeploymentsPageTests(UiAppHost host) : IClassFixture<UiAppHost>
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task A_user_sees_only_their_own_deployments_and_a_live_status_change_re_renders_the_chip()
    {
        var owner = "list-" + Guid.NewGuid().ToString("N")[..6];
        var mine = await host.InsertAsync(owner, "mine-" + owner, DeploymentStatus.Running, (DeploymentStatus.Running, "Healthy", null));
        await host.InsertAsync("someone-else", "theirs-" + owner, DeploymentStatus.Running);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: owner);

        var page = ctx.Render<DeploymentsPage>();

        page.WaitForAssertion(() => page.FindAll("[data-testid=deployments-table] tbody tr").Should().HaveCount(1));
        page.Markup.Should().Contain(mine.Name).And.NotContain("theirs-" + owner);
        Chip(page, mine.Name).Should().Be("Running");

        await host.Feed.PublishAsync(new DeploymentStatusChanged(mine.Id, owner, DeploymentStatus.Running, DeploymentStatus.Unhealthy, "Health check failed", null, DateTimeOffset.UtcNow));

        page.WaitForAssertion(() => Chip(page, mine.Name).Should().Be("Unhealthy"));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_new_deployment_appears_without_a_reload_and_search_filters_by_name_or_package()
    {
        var owner = "search-" + Guid.NewGuid().ToString("N")[..6];
        await host.InsertAsync(owner, "alpha-" + owner, DeploymentStatus.Stopped);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: owner);
        var page = ctx.Render<DeploymentsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=deployments-table] tbody tr").Should().HaveCount(1));

        var beta = await host.InsertAsync(owner, "beta-" + owner, DeploymentStatus.Pending);
        await host.Feed.PublishAsync(new DeploymentStatusChanged(beta.Id, owner, null, DeploymentStatus.Pending, "Created", null, DateTimeOffset.UtcNow));
        page.WaitForAssertion(() => page.FindAll("[data-testid=deployments-table] tbody tr").Should().HaveCount(2));

        page.Find("#deployments-search").Input("beta");
        page.WaitForAssertion(() =>
        {
            page.FindAll("[data-testid=deployments-table] tbody tr").Should().HaveCount(1);
            page.Markup.Should().Contain(beta.Name).And.NotContain("alpha-" + owner);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_asks_for_confirmation_cancel_keeps_the_deployment_and_confirm_removes_it()
    {
        var owner = "delete-" + Guid.NewGuid().ToString("N")[..6];
        var doomed = await host.InsertAsync(owner, "doomed-" + owner, DeploymentStatus.Stopped);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: owner);
        var page = ctx.Render<DeploymentsPage>();
        page.WaitForElement("[data-testid=action-delete]");

        page.Find("[data-testid=action-delete]").Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.Markup.Should().Contain($"Delete {doomed.Name}?"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.FindAll(".mud-dialog").Should().BeEmpty());
        (await host.FindAsync(doomed.Id)).Should().NotBeNull("cancel keeps the deployment");

        page.Find("[data-testid=action-delete]").Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.FindAll(".mud-dialog button").Should().Contain(b => b.TextContent.Trim() == "Delete"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete").Click();

        await Eventually.Until(async () => await host.FindAsync(doomed.Id) is null, "the deployment is deleted");
        page.WaitForAssertion(() => page.Find("[data-testid=deployments-empty]").Should().NotBeNull());
        (await host.Audit.ListAsync(50, TestContext.Current.CancellationToken))
            .Should().ContainSingle(e => e.Action == "deployment-deleted" && e.Target == doomed.Id.ToString() && e.UserId == owner);
    }

    [Fact(Timeout = Timeout)]
    public async Task Without_deployments_the_page_shows_an_empty_state_that_leads_to_the_wizard()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "nobody-" + Guid.NewGuid().ToString("N")[..6]);

        var page = ctx.Render<DeploymentsPage>();

        page.WaitForElement("[data-testid=deployments-empty]").InnerHtml.Should().Contain("href=\"deploy\"");
    }

    private static string? Chip(IRenderedComponent<DeploymentsPage> page, string name) =>
        page.Find($"[data-testid='row-status-{name}'] [data-testid=status-chip]").GetAttribute("data-status");
}
