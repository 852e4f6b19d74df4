using Catwalk.Core.Cluster;
using OpenIddict.Abstractions;

namespace Catwalk.Web.OAuth;

/// <summary>
/// Every authorization code, refresh token and revocation leaves a row; without pruning the OAuth tables only grow.
/// Once an hour the instance that leads the background duties removes the tokens and authorizations that can no
/// longer be used (revoked, redeemed, expired) and were created more than <see cref="KeptFor"/> ago: recent ones stay,
/// so a redeemed refresh token presented again is still recognised as a replay and revokes its family.
/// </summary>
internal sealed partial class OAuthRecordPruning(
    IServiceScopeFactory scopes,
    BackgroundDutyLeadership leadership,
    TimeProvider time,
    ILogger<OAuthRecordPruning> logger) : BackgroundService
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(14);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One pass (public for tests): returns how many tokens and authorizations were removed.</summary>
    public async Task<(long Tokens, long Authorizations)> PruneOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = time.GetUtcNow() - KeptFor;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        return (tokens, authorizations);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass an hour after start: at start this instance does not lead yet, and nothing is two weeks old that
        // was not there an hour ago.
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (leadership.IsLeader)
                {
                    await PruneSafelyAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PruneSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (tokens, authorizations) = await PruneOnceAsync(stoppingToken);
            LogPruned(logger, tokens, authorizations);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogPruneFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OAuth pruning removed {Tokens} token(s) and {Authorizations} authorization(s)")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth pruning failed; it runs again within the hour")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
