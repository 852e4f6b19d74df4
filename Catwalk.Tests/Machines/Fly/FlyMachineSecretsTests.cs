using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Tests.Credentials;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catwalk.Tests.Machines.Fly;

/// <summary>The forwarder's cache of Fly machine secrets against a secret rotated by another instance.</summary>
public sealed class FlyMachineSecretsTests
{
    private static readonly Guid Deployment = Guid.NewGuid();

    [Fact]
    public async Task A_secret_rotated_elsewhere_is_read_again_as_soon_as_the_machine_is_observed_on_the_feed()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new InMemoryMachineSecretStore();
        var feed = new DeploymentStatusFeed(NullLogger<DeploymentStatusFeed>.Instance);
        using var secrets = new FlyMachineSecrets(store, new FixedClock(DateTimeOffset.UtcNow), feed);
        await store.SaveAsync("m1", Deployment, "old-secret", ct);
        (await secrets.GetAsync("m1", ct)).Should().Be("old-secret");

        // Another instance redeploys: it stores the new secret; this one still holds the old within FreshFor.
        await store.SaveAsync("m1", Deployment, "new-secret", ct);
        (await secrets.GetAsync("m1", ct)).Should().Be("old-secret", "within FreshFor the cached secret is used");

        await feed.PublishAsync(new MachineObserved(Machine("m1"), DateTimeOffset.UtcNow));

        (await secrets.GetAsync("m1", ct)).Should().Be("new-secret");
    }

    [Fact]
    public async Task A_removed_machine_is_forgotten()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new InMemoryMachineSecretStore();
        var feed = new DeploymentStatusFeed(NullLogger<DeploymentStatusFeed>.Instance);
        using var secrets = new FlyMachineSecrets(store, new FixedClock(DateTimeOffset.UtcNow), feed);
        await store.SaveAsync("m2", Deployment, "secret", ct);
        (await secrets.GetAsync("m2", ct)).Should().Be("secret");
        await store.ForgetAsync("m2", ct);

        await feed.PublishAsync(new MachineRemoved("m2", DateTimeOffset.UtcNow));

        (await secrets.GetAsync("m2", ct)).Should().BeNull();
    }

    private static MachineInfo Machine(string id) =>
        new(id, Deployment, RuntimeKind.Fly, MachineState.Started, MachineHealth.Healthy, "iad", new Uri($"http://{id}.vm.app.internal:8080/"), null, null, null, null);
}
