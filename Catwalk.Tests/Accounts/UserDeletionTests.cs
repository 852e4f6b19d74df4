using System.Net;
using Catwalk.Core.Accounts;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Catwalk.Tests.OAuth.OAuthClientSteps;

namespace Catwalk.Tests.Accounts;

/// <summary>
/// An admin deletes a user (Core's <see cref="UserDeletion"/>, as Admin › Users and the admin API call it): who may, and
/// what goes with the account (deployments, OAuth clients, API tokens), against the real app and PostgreSQL.
/// </summary>
public sealed class UserDeletionTests(PostgresServer postgres)
{
    [Fact]
    public async Task Only_an_admin_deletes_users_and_never_themselves_nor_the_last_admin()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var adminId = await host.CreateUserAsync("only-admin@example.test", admin: true);
        var otherId = await UserIdAsync(host, OAuthTestHost.OtherEmail);
        var ct = TestContext.Current.CancellationToken;

        async Task<UserDeletionOutcome> DeleteAs(Viewer actor, string userId)
        {
            await using var scope = host.App.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<UserDeletion>().DeleteAsync(actor, userId, "test", ct);
            if (result.Outcome != UserDeletionOutcome.Deleted)
            {
                result.Problem.Should().NotBeNullOrWhiteSpace("a refusal tells the admin why");
            }

            return result.Outcome;
        }

        (await DeleteAs(new Viewer(otherId, IsAdmin: false), host.OwnerId)).Should().Be(UserDeletionOutcome.NotAdmin);
        (await DeleteAs(new Viewer(adminId, IsAdmin: true), adminId)).Should().Be(UserDeletionOutcome.Self);
        // An admin whose role was taken away while their page was open still holds an admin viewer: the last admin stays.
        (await DeleteAs(new Viewer(otherId, IsAdmin: true), adminId)).Should().Be(UserDeletionOutcome.LastAdmin);
        (await DeleteAs(new Viewer(adminId, IsAdmin: true), Guid.NewGuid().ToString())).Should().Be(UserDeletionOutcome.NotFound);

        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        (await db.Users.CountAsync(u => u.Id == adminId || u.Id == host.OwnerId || u.Id == otherId, ct)).Should().Be(3, "every refusal deleted nothing");

        // With a second admin, one admin may delete the other.
        var secondAdminId = await host.CreateUserAsync("second-admin@example.test", admin: true);
        (await DeleteAs(new Viewer(adminId, IsAdmin: true), secondAdminId)).Should().Be(UserDeletionOutcome.Deleted);
        (await db.Users.AnyAsync(u => u.Id == secondAdminId, ct)).Should().BeFalse();
    }

    [Fact]
    public async Task Deleting_a_user_deletes_their_deployments_and_their_oauth_clients_are_refused_on_the_next_request()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var ct = TestContext.Current.CancellationToken;
        // The user to delete is an admin who connected a client to the owner's deployment, and owns one deployment.
        var leavingId = await host.CreateUserAsync("leaving-admin@example.test", admin: true);
        var deletingAdminId = await host.CreateUserAsync("staying-admin@example.test", admin: true);
        var running = await host.DeployEverythingAsync("stays-with-its-owner");
        var theirs = await host.AddStoppedDeploymentAsync("goes-with-its-owner", leavingId);
        using var http = new HttpClient();
        var client = await ConnectAsync(http, host, running, "leaving-admin@example.test", "Leaving admin's client");
        (await PingAsync(http, host.EndpointOf(running), client.AccessToken)).Should().Be(HttpStatusCode.OK, "the approval stands (and is now cached)");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(leavingId, "ci", ct);
        }

        UserDeletionResult result;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<UserDeletion>().DeleteAsync(new Viewer(deletingAdminId, true), leavingId, "from the test", ct);
        }

        result.Should().Be(new UserDeletionResult(UserDeletionOutcome.Deleted, DeploymentsDeleted: 1, ClientsRevoked: 1));
        (await PingAsync(http, host.EndpointOf(running), client.AccessToken)).Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(http, host, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = client.RefreshToken, ["client_id"] = client.ClientId }))
            .Body.GetProperty("error").GetString().Should().Be("invalid_grant");

        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        (await db.Users.AnyAsync(u => u.Id == leavingId, ct)).Should().BeFalse();
        (await db.Deployments.AnyAsync(d => d.Id == theirs, ct)).Should().BeFalse("their deployment is deleted with them");
        (await db.Deployments.AnyAsync(d => d.Id == running, ct)).Should().BeTrue("the owner's deployment stays");
        (await db.PersonalApiTokens.AnyAsync(t => t.UserId == leavingId, ct)).Should().BeFalse();
        (await db.OAuthTokens.AnyAsync(t => t.Subject == leavingId && t.Status != "revoked", ct)).Should().BeFalse();
        var audit = await db.AuditLog.SingleAsync(e => e.Action == AuditActions.UserDeleted, ct);
        audit.UserId.Should().Be(deletingAdminId);
        audit.Target.Should().Be(leavingId);
        audit.Detail.Should().Contain("1 deployment(s) deleted, 1 OAuth client(s) revoked");
    }

    private static async Task<string> UserIdAsync(OAuthTestHost host, string email)
    {
        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
