using Catwalk.Core.Deployments;

namespace Catwalk.Tests.Deployments;

/// <summary>The transition table alone: no database, no runtime.</summary>
public sealed class DeploymentStateMachineTests
{
    [Theory]
    [InlineData(DeploymentStatus.Pending, DeploymentTrigger.Provision, DeploymentStatus.Provisioning)]
    [InlineData(DeploymentStatus.Provisioning, DeploymentTrigger.MachineAccepted, DeploymentStatus.Starting)]
    [InlineData(DeploymentStatus.Starting, DeploymentTrigger.BecameHealthy, DeploymentStatus.Running)]
    [InlineData(DeploymentStatus.Running, DeploymentTrigger.HealthCheckFailed, DeploymentStatus.Unhealthy)]
    [InlineData(DeploymentStatus.Unhealthy, DeploymentTrigger.Recovered, DeploymentStatus.Running)]
    [InlineData(DeploymentStatus.Running, DeploymentTrigger.Stop, DeploymentStatus.Stopping)]
    [InlineData(DeploymentStatus.Stopping, DeploymentTrigger.MachineStopped, DeploymentStatus.Stopped)]
    [InlineData(DeploymentStatus.Stopped, DeploymentTrigger.Wake, DeploymentStatus.Starting)]
    [InlineData(DeploymentStatus.Failed, DeploymentTrigger.Start, DeploymentStatus.Starting)]
    [InlineData(DeploymentStatus.Starting, DeploymentTrigger.Fail, DeploymentStatus.Failed)]
    [InlineData(DeploymentStatus.Running, DeploymentTrigger.Delete, DeploymentStatus.Deleting)]
    [InlineData(DeploymentStatus.Stopped, DeploymentTrigger.FoundStarted, DeploymentStatus.Running)]
    [InlineData(DeploymentStatus.Running, DeploymentTrigger.FoundStopped, DeploymentStatus.Stopped)]
    [InlineData(DeploymentStatus.Stopped, DeploymentTrigger.MachineRecorded, DeploymentStatus.Stopped)]
    public void Allowed_events_lead_to_their_status_with_a_reason(DeploymentStatus from, DeploymentTrigger trigger, DeploymentStatus to)
    {
        var decision = DeploymentStateMachine.Decide(from, trigger);

        decision.IsAllowed.Should().BeTrue();
        decision.To.Should().Be(to);
        decision.Reason.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Waking_a_failed_deployment_is_refused_with_its_reason_and_the_way_out()
    {
        var decision = DeploymentStateMachine.Decide(DeploymentStatus.Failed, DeploymentTrigger.Wake, "the server did not speak MCP on stdio");

        decision.IsAllowed.Should().BeFalse();
        decision.Refusal.Should().Be("failed: the server did not speak MCP on stdio; restart it");
    }

    [Theory]
    [InlineData(DeploymentStatus.Deleting, DeploymentTrigger.Start)]
    [InlineData(DeploymentStatus.Deleting, DeploymentTrigger.Delete)]
    [InlineData(DeploymentStatus.Stopped, DeploymentTrigger.Stop)]
    [InlineData(DeploymentStatus.Stopped, DeploymentTrigger.BecameHealthy)]
    [InlineData(DeploymentStatus.Failed, DeploymentTrigger.Fail)]
    [InlineData(DeploymentStatus.Running, DeploymentTrigger.Wake)]
    [InlineData(DeploymentStatus.Pending, DeploymentTrigger.Recovered)]
    public void Events_out_of_place_are_refused_with_words_for_the_user(DeploymentStatus from, DeploymentTrigger trigger)
    {
        var decision = DeploymentStateMachine.Decide(from, trigger);

        decision.IsAllowed.Should().BeFalse();
        decision.Refusal.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Every_event_has_one_rule_and_nothing_leaves_deleting()
    {
        DeploymentStateMachine.Rules.Select(r => r.Trigger).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(Enum.GetValues<DeploymentTrigger>());
        DeploymentStateMachine.Rules.Should().OnlyContain(r => !r.From.Contains(DeploymentStatus.Deleting));
    }

    [Fact]
    public void Only_stop_and_fail_lead_to_statuses_where_nothing_runs_and_only_after_the_machine_stopped()
    {
        var intoNothingRuns = DeploymentStateMachine.Rules.Where(r => r.To is DeploymentStatus.Stopped or DeploymentStatus.Failed).Select(r => r.Trigger);

        intoNothingRuns.Should().BeEquivalentTo([DeploymentTrigger.MachineStopped, DeploymentTrigger.FoundStopped, DeploymentTrigger.Fail]);
        DeploymentStateMachine.Live.Should().NotContain([DeploymentStatus.Stopped, DeploymentStatus.Failed]);
    }

    [Fact]
    public void Every_status_can_be_left_except_by_deletion_and_every_status_is_reachable()
    {
        var reachable = DeploymentStateMachine.Rules.Where(r => r.To is not null).Select(r => r.To!.Value).Append(DeploymentStateMachine.Initial).ToHashSet();

        reachable.Should().BeEquivalentTo(Enum.GetValues<DeploymentStatus>());
        foreach (var status in Enum.GetValues<DeploymentStatus>().Where(s => s != DeploymentStatus.Deleting))
        {
            DeploymentStateMachine.Rules.Should().Contain(r => r.From.Contains(status) && r.To != null && r.To != status, $"{status} can be left");
        }
    }
}
