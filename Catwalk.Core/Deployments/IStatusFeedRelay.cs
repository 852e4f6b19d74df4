namespace Catwalk.Core.Deployments;

/// <summary>Carries what this instance publishes on the <see cref="DeploymentStatusFeed"/> to the other Catwalk instances
/// on the same database (<see cref="Cluster.PostgresFeedRelay"/>: PostgreSQL <c>NOTIFY</c>).</summary>
public interface IStatusFeedRelay
{
    Task RelayAsync(StatusUpdate update, CancellationToken cancellationToken);
}
