using Bunit;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.Components.Admin;
using Catwalk.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>The admin machines page over the real local runtime and status feed.</summary>
public sealed class MachinesPageTests(UiAppHost host) : IClassFixture<UiAppHost>
{
    private const int Timeout = 150_000;

    [Fact(Timeout = Timeout)]
    public async Task A_machine_stopped_through_the_lifecycle_changes_state_on_the_open_page_without_a_reload()
    {
        var created = await host.DeployEverythingAsync("machine-owner", "admin-live");
        var machineId = created.Deployment.MachineId!;
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "admin-1", admin: true);

        var page = ctx.Render<MachinesPage>();

        page.WaitForAssertion(() => State(page, machineId).Should().Be("Started"), TimeSpan.FromSeconds(10));
        page.Markup.Should().Contain("admin-live").And.Contain("machine-owner");
        var running = Count(page, "Running");
        var stopped = Count(page, "Stopped");
        var gauge = host.Services.GetRequiredService<Catwalk.Core.Telemetry.MachineStateGauge>();
        page.WaitForAssertion(() => Metered(page, "Started").Should().BeGreaterThan(0), TimeSpan.FromSeconds(30));

        await host.Lifecycle.StopAsync(created.Deployment.Id, "Stopped elsewhere", TestContext.Current.CancellationToken);

        page.WaitForAssertion(() => State(page, machineId).Should().Be("Stopped"), TimeSpan.FromSeconds(10));
        Count(page, "Stopped").Should().Be(stopped + 1);
        Count(page, "Running").Should().Be(running - 1);
        // The page shows the catwalk.machines meter as the gauge reports it, stopped machine included.
        page.WaitForAssertion(() =>
        {
            page.Render();
            gauge.Counts().GetValueOrDefault((RuntimeKind.Local, MachineState.Stopped)).Should().BeGreaterThan(0);
            Metered(page, "Stopped").Should().Be(gauge.Counts().GetValueOrDefault((RuntimeKind.Local, MachineState.Stopped)));
        }, TimeSpan.FromSeconds(30));

        // The summary chips filter the table.
        page.Find("[data-testid=summary-Running]").Click();
        page.WaitForAssertion(() => page.FindAll($"[data-testid='machine-row-{machineId}']").Should().BeEmpty());
        page.Find("[data-testid=summary-Stopped]").Click();
        page.WaitForAssertion(() => page.FindAll($"[data-testid='machine-row-{machineId}']").Should().ContainSingle());
    }

    [Fact(Timeout = Timeout)]
    public async Task An_orphan_is_flagged_and_destroyed_only_after_confirmation()
    {
        var runtime = host.Services.GetRequiredService<MachineRuntimes>().For(RuntimeKind.Local);
        var orphan = await runtime.ProvisionAsync(new MachineSpec(Guid.NewGuid(), "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null,
            new Dictionary<string, string>()), TestContext.Current.CancellationToken);
        // Orphans are what a reconciliation round found (one runs at start-up and then on its interval).
        await host.Services.GetRequiredService<MachineReconciler>()
            .ReconcileOnceAsync(TestContext.Current.CancellationToken);
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "admin-1", admin: true);
        var page = ctx.Render<MachinesPage>();
        page.WaitForAssertion(() => page.Find($"[data-testid='machine-row-{orphan.MachineId}']"), TimeSpan.FromSeconds(10));
        var row = page.Find($"[data-testid='machine-row-{orphan.MachineId}']").ParentElement!;
        row.QuerySelector("[data-testid=orphan]").Should().NotBeNull();

        row.QuerySelector("[data-testid=machine-destroy]")!.Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.Markup.Should().Contain($"Destroy machine {orphan.MachineId}?"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        (await runtime.InspectAsync(orphan.MachineId, TestContext.Current.CancellationToken)).Should().NotBeNull("cancel destroys nothing");

        page.Find($"[data-testid='machine-row-{orphan.MachineId}']").ParentElement!.QuerySelector("[data-testid=machine-destroy]")!.Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.FindAll(".mud-dialog button").Should().Contain(b => b.TextContent.Trim() == "Destroy"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Destroy").Click();

        await Eventually.Until(async () => await runtime.InspectAsync(orphan.MachineId, TestContext.Current.CancellationToken) is null, "the orphan is destroyed");
        page.WaitForAssertion(() => page.FindAll($"[data-testid='machine-row-{orphan.MachineId}']").Should().BeEmpty(), TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = Timeout)]
    public async Task The_admin_link_shows_only_for_admins()
    {
        await using (var user = new UiTestContext(TestContext.Current.CancellationToken, userId: "user-1"))
        {
            user.Render<NavMenu>().Markup.Should().NotContain("admin/machines");
        }

        await using var admin = new UiTestContext(TestContext.Current.CancellationToken, userId: "admin-1", admin: true);
        admin.Render<NavMenu>().Markup.Should().Contain("admin/machines");
    }

    private static int Count(IRenderedComponent<MachinesPage> page, string summary) =>
        int.Parse(page.Find($"[data-testid=summary-{summary}]").GetAttribute("data-count")!, System.Globalization.CultureInfo.InvariantCulture);

    private static int Metered(IRenderedComponent<MachinesPage> page, string state)
    {
        page.Render();
        return page.FindAll($"[data-testid=meter-Local-{state}]") is [var figure]
            ? int.Parse(figure.GetAttribute("data-count")!, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    private static string? State(IRenderedComponent<MachinesPage> page, string machineId) =>
        page.Find($"[data-testid='machine-row-{machineId}'] [data-testid=machine-state]").GetAttribute("data-state");
}
