using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Catwalk.Web.Components.Admin;
using Catwalk.Web.Components.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>Admin › Users over the real database: Delete asks first, then removes the user and their deployments.</summary>
public sealed class UsersPageTests(UiAppHost host) : IClassFixture<UiAppHost>
{
    private const int Timeout = 150_000;

    [Fact(Timeout = Timeout)]
    public async Task An_admin_deletes_a_user_only_after_confirming_and_has_no_delete_button_for_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var adminId = await host.CreateUserAsync($"users-admin-{Guid.NewGuid():N}@example.test");
        var leavingEmail = $"users-leaving-{Guid.NewGuid():N}@example.test";
        var leavingId = await host.CreateUserAsync(leavingEmail);
        var theirs = await host.InsertAsync(leavingId, "leaving-deployment", DeploymentStatus.Stopped);
        await using var ctx = new UiTestContext(ct, host, userId: adminId, admin: true, services: services =>
        {
            services.AddScoped(_ => ActivatorUtilities.CreateInstance<UserDirectory>(host.Services));
            services.AddScoped(sp => ActivatorUtilities.CreateInstance<UserDeletion>(host.Services, sp.GetRequiredService<AuditLog>()));
        });
        ctx.Render<NavMenu>().Markup.Should().Contain("admin/users");

        var page = ctx.Render<UsersPage>();
        page.WaitForAssertion(() => page.Markup.Should().Contain(leavingEmail), TimeSpan.FromSeconds(10));
        RowOf(page, Email(adminId)).QuerySelector("[data-testid=delete-user]").Should().BeNull("an admin cannot delete themselves");

        RowOf(page, leavingEmail).QuerySelector("[data-testid=delete-user]")!.Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.Markup.Should().Contain($"Delete {leavingEmail}?"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        (await UserExistsAsync(leavingId)).Should().BeTrue("cancel deletes nothing");

        RowOf(page, leavingEmail).QuerySelector("[data-testid=delete-user]")!.Click();
        ctx.Providers.WaitForAssertion(() => ctx.Providers.FindAll(".mud-dialog button").Should().Contain(b => b.TextContent.Trim() == "Delete user"));
        ctx.Providers.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete user").Click();

        page.WaitForAssertion(() => page.Markup.Should().NotContain(leavingEmail), TimeSpan.FromSeconds(30));
        (await UserExistsAsync(leavingId)).Should().BeFalse();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        (await db.Deployments.AnyAsync(d => d.Id == theirs.Id, ct)).Should().BeFalse("their deployment goes with them");
        (await db.AuditLog.AnyAsync(e => e.Action == AuditActions.UserDeleted && e.Target == leavingId && e.UserId == adminId, ct)).Should().BeTrue();
    }

    private string Email(string userId)
    {
        using var db = host.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContext();
        return db.Users.Where(u => u.Id == userId).Select(u => u.Email!).Single();
    }

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<UsersPage> page, string email) =>
        page.FindAll("[data-testid=user-email]").Single(cell => cell.TextContent.Trim() == email).ParentElement!;

    private async Task<bool> UserExistsAsync(string userId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        return await db.Users.AnyAsync(u => u.Id == userId);
    }
}
