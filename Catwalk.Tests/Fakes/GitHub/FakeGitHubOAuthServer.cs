using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Catwalk.Tests.Fakes.GitHub;

/// <summary>
/// A loopback fake of GitHub's OAuth web flow and the two user endpoints a sign-in reads, all under one base URL
/// (what <c>GITHUB_OAUTH_BASE_URL</c> points at): <c>GET /login/oauth/authorize</c> approves at once and redirects
/// back with a code; <c>POST /login/oauth/access_token</c> checks the client secret, the code, its redirect URI and
/// the PKCE verifier; <c>GET /user</c> and <c>GET /user/emails</c> need the issued bearer token.
/// </summary>
public sealed class FakeGitHubOAuthServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string RedirectUri, string? Challenge)> _codes = new();
    private readonly ConcurrentDictionary<string, bool> _accessTokens = new();
    private KestrelLoopbackHost? _host;

    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";

    public Uri BaseAddress => _host!.BaseAddress;

    public long UserId { get; set; } = 4242;

    public string Login { get; set; } = "octocat";

    public List<(string Email, bool Primary, bool Verified)> Emails { get; } = [];

    /// <summary>Token exchanges that failed a check (wrong secret, code, redirect URI or verifier).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public static async Task<FakeGitHubOAuthServer> StartAsync()
    {
        var server = new FakeGitHubOAuthServer();
        server._host = await KestrelLoopbackHost.StartAsync(app =>
        {
            app.MapGet("/login/oauth/authorize", (Func<HttpContext, IResult>)server.Authorize);
            app.MapPost("/login/oauth/access_token", (Func<HttpContext, Task<IResult>>)server.ExchangeAsync);
            app.MapGet("/user", (Func<HttpContext, IResult>)server.User);
            app.MapGet("/user/emails", (Func<HttpContext, IResult>)server.UserEmails);
        });
        return server;
    }

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["client_id"] != ClientId || string.IsNullOrEmpty(query["redirect_uri"]) || query["response_type"] != "code")
        {
            return Results.BadRequest("bad authorize request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
        _codes[code] = (query["redirect_uri"]!, query["code_challenge"]);
        var separator = query["redirect_uri"].ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{query["redirect_uri"]}{separator}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task<IResult> ExchangeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        string? problem = null;
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            problem = "client credentials";
        }
        else if (!_codes.TryRemove(form["code"].ToString(), out var issued))
        {
            problem = "unknown code";
        }
        else if (issued.RedirectUri != form["redirect_uri"])
        {
            problem = "redirect_uri differs";
        }
        else if (issued.Challenge is not null && issued.Challenge != S256(form["code_verifier"].ToString()))
        {
            problem = "PKCE verifier";
        }

        if (problem is not null)
        {
            Refusals.Enqueue(problem);
            // GitHub answers 200 with an error body.
            return Results.Json(new { error = "bad_verification_code", error_description = problem });
        }

        var token = "gho_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _accessTokens[token] = true;
        return Results.Json(new { access_token = token, token_type = "bearer", scope = "read:user,user:email" });
    }

    private IResult User(HttpContext context) =>
        Authorized(context) ? Results.Json(new { id = UserId, login = Login, name = "The Octocat" }) : Results.Unauthorized();

    private IResult UserEmails(HttpContext context) =>
        Authorized(context)
            ? Results.Json(Emails.Select(e => new { email = e.Email, primary = e.Primary, verified = e.Verified, visibility = "public" }))
            : Results.Unauthorized();

    private bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && _accessTokens.ContainsKey(header["Bearer ".Length..]);

    private static string S256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
