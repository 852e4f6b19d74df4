using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Web.Ui;

/// <summary>
/// The real Catwalk services (lifecycle, queries, feed, machine directory, local runtime) over a fresh database, for
/// bUnit tests to render pages against: components resolve Core's singletons from this host.
/// </summary>
public sealed class UiAppHost(PostgresServer postgres) : IAsyncLifetime
{
    public CatwalkAppFactory App { get; private set; } = null!;

    public IServiceProvider Services => App.Services;

    public DeploymentStatusFeed Feed => Services.GetRequiredService<DeploymentStatusFeed>();

    public DeploymentLifecycle Lifecycle => Services.GetRequiredService<DeploymentLifecycle>();

    /// <summary>The audit log (scoped in the app; its dependencies are singletons).</summary>
    public AuditLog Audit => ActivatorUtilities.CreateInstance<AuditLog>(Services);

    public UserOpenRouterKeys OpenRouterKeys => ActivatorUtilities.CreateInstance<UserOpenRouterKeys>(Services);

    /// <summary>A registered user (what the register page creates); returns the user's id.</summary>
    public async Task<string> CreateUserAsync(string email)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CatwalkUser>>();
        var user = new CatwalkUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, "A-long-test-passw0rd!");
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    public async ValueTask InitializeAsync()
    {
        App = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        App.Settings["CATWALK_RUNTIME"] = "local";
        App.Settings["CATWALK_MONITOR_INTERVAL"] = "1";
        // Rows the tests insert have no machine: the reconciler must not try to provision their made-up packages.
        App.Settings["CATWALK_RECONCILE_INTERVAL"] = "1h";
        var logs = new CapturedLogs().AddTo(App);
        _ = App.BaseAddress;
        // Nor may the start-up duties (bringing back what should run, the first reconciliation round), which run once
        // this instance leads: on a loaded machine that came after the first test had inserted a Running row.
        await Eventually.Until(() => logs.Lines.Any(l => l.Contains("DeploymentRestorer: Leading the background duties", StringComparison.Ordinal))
            && logs.Lines.Any(l => l.Contains("MachineReconciler: Reconciliation:", StringComparison.Ordinal)),
            "the app leads the background duties and has run its start-up ones", TimeSpan.FromSeconds(60));
    }

    /// <summary>Stores a deployment row as the lifecycle would have left it, without a machine (no process starts).</summary>
    public async Task<Deployment> InsertAsync(string ownerId, string name, DeploymentStatus status, params (DeploymentStatus To, string Reason, string? Detail)[] events)
    {
        var now = DateTimeOffset.UtcNow;
        var deployment = new Deployment
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            Name = name,
            RepoUrl = "https://github.com/example/" + name,
            Package = "@example/" + name,
            Runtime = PackageRuntime.Npm,
            Status = status,
            RuntimeKind = RuntimeKind.Local,
            AccessTokenHash = DeploymentAccessTokens.Hash(DeploymentAccessTokens.Generate()),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var at = now.AddSeconds(-events.Length);
        foreach (var (to, reason, detail) in events)
        {
            deployment.Events.Add(new DeploymentEvent { At = at = at.AddSeconds(1), ToStatus = to, Reason = reason, Detail = detail });
        }

        await using var db = await Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment;
    }

    /// <summary>Deploys the real server-everything through the lifecycle and waits until it runs.</summary>
    public async Task<CreatedDeployment> DeployEverythingAsync(string ownerId, string name)
    {
        var created = await Lifecycle.CreateAsync(new CreateDeploymentRequest(ownerId, name, "https://github.com/modelcontextprotocol/servers",
            "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null, new Dictionary<string, string> { ["UI_TEST_SECRET"] = "s3cret-value" }),
            TestContext.Current.CancellationToken);
        var deployment = await Eventually.ReturnsAsync(() => FindAsync(created.Deployment.Id),
            d => d?.Status is DeploymentStatus.Running or DeploymentStatus.Failed, $"{name} is running", TimeSpan.FromSeconds(90));
        deployment!.Status.Should().Be(DeploymentStatus.Running, deployment.ErrorMessage);
        return created with { Deployment = deployment };
    }

    public async Task<Deployment?> FindAsync(Guid id)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        return await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
