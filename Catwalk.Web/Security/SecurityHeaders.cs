namespace Catwalk.Web.Security;

/// <summary>
/// Headers on every response. The CSP allows scripts only from this origin (no inline scripts: pages load JS files),
/// inline styles (MudBlazor sets style attributes), the circuit's WebSocket to this origin ('self' covers ws/wss),
/// and form posts that redirect to GitHub's sign-in (<c>GITHUB_OAUTH_BASE_URL</c> when set); no framing.
/// </summary>
internal sealed class SecurityHeaders
{
    /// <summary>
    /// An origin one response's form may also post to (through a redirect): the OAuth consent page's client callback, which
    /// the page sets only after checking it against the client's registered redirect URIs. CSP's form-action covers redirects.
    /// </summary>
    public const string ExtraFormActionItem = "catwalk.csp.form-action";

    private readonly RequestDelegate _next;
    private readonly string _contentSecurityPolicy;
    private readonly Func<object, Task> _apply;

    public SecurityHeaders(RequestDelegate next, IConfiguration configuration)
    {
        _next = next;
        _contentSecurityPolicy = ContentSecurityPolicy(configuration["GITHUB_OAUTH_BASE_URL"]);
        // One callback for every request (the context is its state), not a closure per request.
        _apply = state => ApplyAsync((HttpContext)state);
    }

    public static string ContentSecurityPolicy(string? gitHubOAuthBaseUrl)
    {
        var gitHub = Uri.TryCreate(gitHubOAuthBaseUrl, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Authority) : "https://github.com";
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + $"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' {gitHub}; frame-ancestors 'none'";
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_apply, context);
        return _next(context);
    }

    private Task ApplyAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Items[ExtraFormActionItem] is string origin
            ? _contentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {origin}", StringComparison.Ordinal)
            : _contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return Task.CompletedTask;
    }
}
