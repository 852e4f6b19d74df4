using Microsoft.Extensions.DependencyInjection;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catwalk.Tests.Machines.Fly;

public sealed class FlyApiResilienceTests(PostgresServer postgres) : IAsyncLifetime
{
    private FakeFlyMachinesApi _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeFlyMachinesApi.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void TrippableBreaker(Dictionary<string, string?> s)
    {
        s["FLY_API_BREAKER_MIN_CALLS"] = "4";
        s["FLY_API_BREAKER_FAILURE_RATIO"] = "0.5";
        s["FLY_API_BREAKER_SAMPLING"] = "30s";
        s["FLY_API_BREAKER_BREAK"] = "30s";
        s["FLY_API_MAX_RETRIES"] = "1";
    }

    [Fact]
    public async Task An_api_error_body_becomes_a_message_naming_the_call_the_status_and_the_error()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);

        var stop = () => host.Client.StopAsync("0123456789abcd", Ct);

        var error = (await stop.Should().ThrowAsync<FlyApiException>()).Which;
        error.Message.Should().Be("Stopping Fly machine 0123456789abcd failed: the Fly Machines API answered 404 Not Found: machine not found");
        error.MayHaveBeenApplied.Should().BeFalse();
    }

    [Fact]
    public async Task A_wrong_token_is_reported_as_such()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s => s["FLY_API_TOKEN"] = "not-the-token");

        var list = () => host.Client.ListAsync(null, Ct);

        await list.Should().ThrowAsync<FlyApiException>().WithMessage("*401 Unauthorized: You must be authenticated*");
    }

    [Fact]
    public async Task A_macaroon_token_is_sent_with_its_own_scheme()
    {
        await using var fake = await FakeFlyMachinesApi.StartAsync(token: "FlyV1 fm2_lJPECAAAAAAAA");
        await using var host = await FlyRuntimeHost.StartAsync(fake);

        (await host.Client.ListAsync(null, Ct)).Should().BeEmpty();

        fake.Requests.Single().Authorization.Should().Be("FlyV1 fm2_lJPECAAAAAAAA");
    }

    [Fact]
    public async Task Reads_are_retried_on_503_but_a_create_is_never_sent_twice()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.Inject(FakeFault.Status(FlyCall.List, 503, times: 2));
        _fake.Inject(FakeFault.Status(FlyCall.Create, 503));

        (await host.Client.ListAsync(null, Ct)).Should().BeEmpty();
        var create = () => host.Client.CreateAsync(new FlyCreateMachineRequest("catwalk-x", null, new FlyMachineConfig { Image = FlyRuntimeHost.Image }), Ct);

        var error = (await create.Should().ThrowAsync<FlyApiException>()).Which;
        error.MayHaveBeenApplied.Should().BeTrue("a 503 may come from a proxy after the machine was made");
        _fake.CountOf(FlyCall.List).Should().Be(3);
        _fake.CountOf(FlyCall.Create).Should().Be(1);
    }

    [Fact]
    public async Task A_tripped_circuit_fails_fast_with_a_message_saying_the_api_is_unavailable()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, TrippableBreaker);
        _fake.Inject(FakeFault.Status(FlyCall.Any, 503, times: 1000));

        FlyApiUnavailableException? open = null;
        for (var call = 0; call < 10 && open is null; call++)
        {
            try
            {
                await host.Client.ListAsync(null, Ct);
            }
            catch (FlyApiUnavailableException ex)
            {
                open = ex;
            }
            catch (FlyApiException)
            {
                // Failing, not yet open.
            }
        }

        open.Should().NotBeNull("repeated 503s open the circuit");
        open!.Message.Should().Contain("the Fly Machines API is unavailable").And.Contain("30s");
        var sent = _fake.Requests.Count;
        var provision = () => host.Runtime.ProvisionAsync(
            new MachineSpec(Guid.NewGuid(), "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null, new Dictionary<string, string>()), Ct);

        await provision.Should().ThrowAsync<FlyApiUnavailableException>();
        _fake.Requests.Count.Should().Be(sent, "an open circuit fails without calling the API");
    }

    [Fact]
    public async Task A_tripped_circuit_ends_a_deployment_Failed_with_the_outage_as_its_reason()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var contexts = new PooledDbContextFactory<CatwalkDbContext>(new DbContextOptionsBuilder<CatwalkDbContext>().UseNpgsql(connectionString).Options);
        var transitions = new DeploymentTransitions(contexts, new DeploymentStatusFeed(NullLogger<DeploymentStatusFeed>.Instance),
            new MachineRuntimes(new ServiceCollection().BuildServiceProvider(), new MachineRuntimeSelection(RuntimeKind.Fly)), TimeProvider.System,
            NullLogger<DeploymentTransitions>.Instance);
        var deploymentId = Guid.NewGuid();
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            db.Deployments.Add(new Deployment
            {
                Id = deploymentId,
                OwnerId = "owner",
                Name = "everything",
                Package = "@modelcontextprotocol/server-everything",
                AccessTokenHash = "hash",
                Status = DeploymentStatus.Provisioning,
                RuntimeKind = RuntimeKind.Fly,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        await using var host = await FlyRuntimeHost.StartAsync(_fake, TrippableBreaker);
        _fake.Inject(FakeFault.Status(FlyCall.Any, 503, times: 1000));
        var spec = new MachineSpec(deploymentId, "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null, new Dictionary<string, string>());

        // What the deployment lifecycle does with a failed provision: Failed, with the exception's message as the reason.
        FlyApiException? failure = null;
        for (var attempt = 0; attempt < 5 && failure is not FlyApiUnavailableException; attempt++)
        {
            try
            {
                await host.Runtime.ProvisionAsync(spec, Ct);
            }
            catch (FlyApiException ex)
            {
                failure = ex;
            }
        }

        failure.Should().BeOfType<FlyApiUnavailableException>();

        await transitions.ApplyAsync(deploymentId, DeploymentTrigger.Fail, "Provisioning failed", failure!.Message, cancellationToken: Ct);

        await using var check = await contexts.CreateDbContextAsync(Ct);
        var deployment = await check.Deployments.SingleAsync(d => d.Id == deploymentId, Ct);
        deployment.Status.Should().Be(DeploymentStatus.Failed);
        deployment.ErrorMessage.Should().Contain("the Fly Machines API is unavailable").And.Contain("try again");
        _fake.Machines.Should().BeEmpty();
    }

    [Fact]
    public async Task The_circuit_closes_again_once_the_api_answers()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s =>
        {
            TrippableBreaker(s);
            s["FLY_API_BREAKER_BREAK"] = "500ms";
        });
        _fake.Inject(FakeFault.Status(FlyCall.Any, 503, times: 8));
        await Eventually.Until(async () =>
        {
            try
            {
                await host.Client.ListAsync(null, Ct);
                return false;
            }
            catch (FlyApiUnavailableException)
            {
                return true;
            }
            catch (FlyApiException)
            {
                return false;
            }
        }, "the circuit opened");
        _fake.ClearFaults();

        await Eventually.Until(async () =>
        {
            try
            {
                await host.Client.ListAsync(null, Ct);
                return true;
            }
            catch (FlyApiUnavailableException)
            {
                return false;
            }
        }, "the circuit closed after its break");
    }
}
