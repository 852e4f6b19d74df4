namespace Catwalk.Web.Security;

/// <summary>
/// Headers on every response. The CSP allows scripts only from this origin (no inline scripts: pages load JS files),
/// inline styles (MudBlazor sets style attributes), the circuit's WebSocket to this origin ('self' covers ws/wss),
/// and form posts that redirect to GitHub's sign-in (<c>GITHUB_OAUTH_BASE_URL</c> when set); no framing.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IConfiguration configuration)
{
    /// <summary>
    /// An origin one response's form may also post to (through a redirect): the OAuth consent page's client callback, which
    /// the page sets only after checking it against the client's registered redirect URIs. CSP's form-action covers redirects.
    /// </summary>
    public const string ExtraFormActionItem = "catwalk.csp.form-action";

    private readonly string _contentSecurityPolicy = ContentSecurityPolicy(configuration["GITHUB_OAUTH_BASE_URL"]);

    public static string ContentSecurityPolicy(string? gitHubOAuthBaseUrl)
    {
        var gitHub = Uri.TryCreate(gitHubOAuthBaseUrl, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Authority) : "https://github.com";
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + $"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' {gitHub}; frame-ancestors 'none'";
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
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
        });
        return next(context);
    }
}
