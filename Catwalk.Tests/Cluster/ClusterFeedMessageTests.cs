using System.Text;
using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;

namespace Catwalk.Tests.Cluster;

public sealed class ClusterFeedMessageTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<StatusUpdate> Updates() =>
    [
        new DeploymentStatusChanged(Guid.NewGuid(), "owner-1", DeploymentStatus.Running, DeploymentStatus.Stopping, "Stopped by admin", null, At),
        new MachineObserved(new MachineInfo("m1", Guid.NewGuid(), RuntimeKind.Fly, MachineState.Started, MachineHealth.Healthy, "ams",
            new Uri("http://m1.vm.app.internal:8080/"), At, At, At, null), At),
        new MachineRemoved("m2", At),
        new DeploymentTokenRotated(Guid.NewGuid(), At),
        new OAuthApprovalRevoked("approval-1", Guid.NewGuid(), At),
    ];

    [Theory]
    [MemberData(nameof(Updates))]
    public void Every_update_crosses_instances_unchanged(StatusUpdate update)
    {
        var payload = new ClusterFeedMessage("instance-a", Guid.NewGuid(), update).ToPayload();

        var read = ClusterFeedMessage.FromPayload(payload);

        read.Should().NotBeNull();
        read!.Origin.Should().Be("instance-a");
        read.Update.Should().BeEquivalentTo(update, o => o.RespectingRuntimeTypes());
        read.Update.GetType().Should().Be(update.GetType());
    }

    [Fact]
    public void A_failure_with_a_long_log_tail_fits_in_a_notify_payload_with_its_reason_kept()
    {
        var tail = string.Join('\n', Enumerable.Range(1, 400).Select(i => $"line {i}: ünïcödé output of the server"));
        var failed = new DeploymentStatusChanged(Guid.NewGuid(), "owner-1", DeploymentStatus.Starting, DeploymentStatus.Failed, "The server exited with code 1", tail, At);

        var payload = new ClusterFeedMessage("instance-a", Guid.NewGuid(), failed).ToPayload();

        Encoding.UTF8.GetByteCount(payload).Should().BeLessThan(8000, "PostgreSQL refuses a NOTIFY payload of 8000 bytes or more");
        var read = (DeploymentStatusChanged)ClusterFeedMessage.FromPayload(payload)!.Update;
        read.Reason.Should().Be(failed.Reason);
        read.Detail.Should().StartWith("line 1:");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"origin":"x","id":"6f9619ff-8b86-d011-b42d-00c04fc964ff","update":{"type":"from-a-newer-catwalk","at":"2026-12-04T08:00:00Z"}}""")]
    [InlineData("""{"origin":"x"}""")]
    public void A_payload_that_is_not_a_catwalk_update_is_ignored(string payload) =>
        ClusterFeedMessage.FromPayload(payload).Should().BeNull();
}
