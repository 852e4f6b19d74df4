using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Components;

namespace Catwalk.Web.Components.Shared;

/// <summary>
/// A component that follows the in-process <see cref="DeploymentStatusFeed"/>: each update is handled on the component's
/// renderer and followed by a re-render. The publisher (lifecycle, monitor) is never held up by a page: handling is
/// queued, not awaited by the feed. Errors go to the nearest error boundary.
/// </summary>
public abstract class LiveStatusComponent : ComponentBase, IDisposable
{
    private IDisposable? _subscription;

    [Inject] protected DeploymentStatusFeed Feed { get; set; } = default!;

    /// <summary>Reacts to one update (reload or patch what is shown); return false to skip the re-render.</summary>
    protected abstract Task<bool> OnStatusUpdateAsync(StatusUpdate update);

    protected override void OnInitialized() => _subscription = Feed.Subscribe(update =>
    {
        _ = InvokeAsync(async () =>
        {
            try
            {
                if (await OnStatusUpdateAsync(update))
                {
                    StateHasChanged();
                }
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
        return Task.CompletedTask;
    });

    public void Dispose()
    {
        _subscription?.Dispose();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
