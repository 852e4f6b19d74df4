using Catwalk.Core.Deployments;

namespace Catwalk.Web.Api;

/// <summary>
/// Runs a lifecycle operation the API answered 202 for. It is tracked by the operation gate (host shutdown cancels
/// and awaits it); the lifecycle records failures as events, so only unexpected errors are logged here.
/// </summary>
internal sealed partial class ApiBackgroundOperations(DeploymentOperationGate gate, ILogger<ApiBackgroundOperations> logger)
{
    public void Start(string operation, string target, Func<CancellationToken, Task> work) =>
        _ = gate.Track(async () =>
        {
            try
            {
                await work(gate.ShutdownToken);
            }
            catch (OperationCanceledException) when (gate.ShutdownToken.IsCancellationRequested)
            {
                // The host is stopping; the restorer picks the deployment up on the next start.
            }
            catch (DeploymentNotFoundException)
            {
                // Deleted while the operation waited for its turn.
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex, operation, target);
            }
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API's {Operation} of {Target} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string operation, string target);
}
