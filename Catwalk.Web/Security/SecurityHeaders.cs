namespace Catwalk.Web.Security;

/// <summary>
/// Headers on every response. The CSP allows scripts only from this origin (no inline scripts: pages load JS files),
/// inline styles (MudBlazor sets style attributes), the circuit's WebSocket to this origin ('self' covers ws/wss),
/// and form posts to GitHub (the optional "Sign in with GitHub" redirect); no framing.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' https://github.com; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
