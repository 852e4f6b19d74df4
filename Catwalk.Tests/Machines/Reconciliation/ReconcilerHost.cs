using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Fly;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Tests.Machines.Reconciliation;

/// <summary>
/// Persistence (a fresh database of the test cluster), the Fly runtime against a fake Machines API, and the
/// reconciler, wired as production wires them. Not started unless a test asks: tests drive rounds themselves.
/// </summary>
internal sealed class ReconcilerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private ReconcilerHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public MachineReconciler Reconciler => Services.GetRequiredService<MachineReconciler>();

    public OrphanMachines Orphans => Services.GetRequiredService<OrphanMachines>();

    public IMachineRuntime Fly => Services.GetRequiredKeyedService<IMachineRuntime>(RuntimeKind.Fly);

    public DeploymentStatusFeed Feed => Services.GetRequiredService<DeploymentStatusFeed>();

    public static async Task<ReconcilerHost> CreateAsync(
        PostgresServer postgres, FakeFlyMachinesApi fake, Action<Dictionary<string, string?>>? adjust = null, Action<IServiceCollection>? services = null)
    {
        var settings = FlyRuntimeHost.SettingsFor(fake);
        settings["DATABASE_URL"] = await postgres.CreateDatabaseAsync();
        settings["CATWALK_RECONCILE_INTERVAL"] = "1h";
        settings["ENCRYPTION_KEY"] = FernetKey.Generate().Export();
        adjust?.Invoke(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCatwalkPersistence();
        // The Fly runtime keeps its machines' secrets encrypted in the database.
        builder.AddCatwalkCredentials();
        builder.AddCatwalkFlyRuntime();
        builder.AddCatwalkReconciliation();
        services?.Invoke(builder.Services);
        return new ReconcilerHost(builder.Build());
    }

    public async Task StartAsync()
    {
        await _host.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
    }

    public Task<ReconciliationReport> ReconcileAsync() => Reconciler.ReconcileOnceAsync(TestContext.Current.CancellationToken);

    public async Task<Deployment> AddDeploymentAsync(DeploymentStatus status, string? machineId, Guid? id = null, TimeSpan? updatedAgo = null,
        RuntimeKind runtime = RuntimeKind.Fly)
    {
        var at = DateTimeOffset.UtcNow - (updatedAgo ?? TimeSpan.FromMinutes(30));
        var deploymentId = id ?? Guid.NewGuid();
        var deployment = new Deployment
        {
            Id = deploymentId,
            OwnerId = "owner-1",
            // Names are unique per owner.
            Name = "everything-" + deploymentId.ToString("N")[..8],
            Package = "@modelcontextprotocol/server-everything",
            Runtime = PackageRuntime.Npm,
            AccessTokenHash = DeploymentAccessTokens.Hash(DeploymentAccessTokens.Generate()),
            Status = status,
            RuntimeKind = runtime,
            MachineId = machineId,
            CreatedAt = at,
            UpdatedAt = at,
        };
        await using var db = await Contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return deployment;
    }

    public async Task<Deployment> DeploymentAsync(Guid id)
    {
        await using var db = await Contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Deployments.AsNoTracking().Include(d => d.Events).SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
    }

    /// <summary>A running Fly machine made by the runtime for <paramref name="deploymentId"/>, as the lifecycle would have.</summary>
    public async Task<MachineInfo> ProvisionAsync(Guid deploymentId) =>
        await Fly.ProvisionAsync(
            new MachineSpec(deploymentId, "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null, new Dictionary<string, string>()),
            TestContext.Current.CancellationToken);

    private IDbContextFactory<CatwalkDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>();

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync(CancellationToken.None);
        }

        _host.Dispose();
    }
}
