using Catwalk.Core.Cluster;
using Catwalk.Core.Machines.Fly;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Hosting;

/// <summary>
/// Keeps a Blazor Server circuit on the Fly machine that holds it, with Fly's own mechanism: a page rendered by this
/// instance sets a cookie naming it (its <c>FLY_MACHINE_ID</c>); a circuit request (<c>/_blazor</c>: negotiate, the
/// WebSocket, long polling) that Fly's proxy delivered to another instance is answered with <c>fly-replay:
/// instance=&lt;that machine&gt;</c>, and Fly's proxy delivers it again there. Reloading a page moves the browser to
/// whichever instance renders it. Off the Fly platform (no <c>FLY_MACHINE_ID</c>) it does nothing.
/// </summary>
internal sealed class FlyCircuitAffinity(RequestDelegate next, IOptions<ClusterOptions> options)
{
    public const string CookieName = "catwalk-instance";
    public const string ReplayHeader = "fly-replay";

    /// <summary>Fly adds it to a replayed request: never replay twice (the owner is gone, or the proxy misrouted).</summary>
    public const string ReplaySourceHeader = "fly-replay-src";

    public Task InvokeAsync(HttpContext context)
    {
        if (options.Value.FlyMachineId is not { } self)
        {
            return next(context);
        }

        if (context.Request.Path.StartsWithSegments("/_blazor"))
        {
            var owner = context.Request.Cookies[CookieName];
            if (owner is not null && owner != self && FlyUpstreamUrls.IsMachineId(owner) && !context.Request.Headers.ContainsKey(ReplaySourceHeader))
            {
                context.Response.StatusCode = StatusCodes.Status409Conflict;
                context.Response.Headers[ReplayHeader] = "instance=" + owner;
                return Task.CompletedTask;
            }

            return next(context);
        }

        context.Response.OnStarting(() =>
        {
            // A rendered page: its circuit will live here.
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                && context.Request.Cookies[CookieName] != self)
            {
                context.Response.Cookies.Append(CookieName, self, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    Path = "/",
                    IsEssential = true,
                });
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
