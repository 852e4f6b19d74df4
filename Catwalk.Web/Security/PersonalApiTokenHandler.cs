using System.Security.Claims;
using System.Text.Encodings.Web;
using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Security;

/// <summary>
/// <c>Authorization: Bearer cwp_...</c>: a personal API token, checked on every request (a revoked token fails on the
/// very next one). Challenges and refusals answer problem details; the token itself is never logged or echoed.
/// </summary>
internal sealed class PersonalApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PersonalApiTokens tokens,
    AdminRoleLookup roles,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header is not a Bearer token.");
        }

        var token = header[BearerPrefix.Length..].Trim();
        if (!token.StartsWith(PersonalApiTokenDefaults.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("The bearer token is not a personal API token.");
        }

        var owner = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("The personal API token is unknown or revoked.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.UserId),
            new(PersonalApiTokenDefaults.TokenIdClaim, owner.TokenId.ToString()),
            new(PersonalApiTokenDefaults.TokenNameClaim, owner.TokenName),
        };
        if (await roles.IsAdminAsync(owner.UserId, Context.RequestAborted))
        {
            claims.Add(new Claim(ClaimTypes.Role, Viewer.AdminRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var presented = result.Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented ? "Bearer realm=\"Catwalk\", error=\"invalid_token\"" : "Bearer realm=\"Catwalk\"";
        await WriteAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            (presented ? result.Failure!.Message + " " : "")
            + "Send 'Authorization: Bearer cwp_...' with a personal API token: create one on the Settings page or with 'dotnet Catwalk.Web.dll create-token --email E --name N'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", "This endpoint is for admins only; ask an admin of this Catwalk to act on machines.");
    }

    private Task WriteAsync(int status, string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
}
