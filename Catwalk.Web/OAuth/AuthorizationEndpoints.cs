using System.Security.Claims;
using Catwalk.Core.Accounts;
using Catwalk.Core.OAuth;
using Catwalk.Core.Persistence;
using Catwalk.Web.Accounts;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>
/// The authorization and token endpoints' Catwalk side (OpenIddict has already checked the client, the redirect URI,
/// PKCE and the grant): sign-in with the Catwalk account, consent for exactly one deployment, and the token's claims.
/// </summary>
internal static partial class AuthorizationEndpoints
{
    public const string DecisionField = "decision";
    public const string Approve = "approve";

    /// <summary>Form fields of the consent page that are not part of the OAuth request.</summary>
    private static readonly HashSet<string> ConsentFields = new(StringComparer.Ordinal) { DecisionField, "__RequestVerificationToken" };

    public static IEndpointRouteBuilder MapOAuthAuthorization(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OAuthPaths.Authorize, AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(OAuthPaths.Authorize, DecideAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost(OAuthPaths.Token, ExchangeAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>GET: the client's request. Not signed in: to the sign-in page and back. Signed in: to the consent page.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, OAuthIssuer issuer)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the authorization request.");
        if (RequestedDeployment(context, issuer, request) is null)
        {
            return Reject(Errors.InvalidTarget, "The 'resource' parameter must be exactly one Catwalk MCP endpoint URL.");
        }

        var query = QueryString.Create(request.GetParameters()
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value)));
        var signedIn = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded)
        {
            return Results.Redirect(AccountPaths.LoginReturningTo(OAuthPaths.Authorize + query.Value));
        }

        return Results.Redirect(OAuthPaths.Consent + query.Value);
    }

    /// <summary>POST from the consent page: a fresh antiforgery-checked decision by the signed-in owner (or an admin).</summary>
    private static async Task<IResult> DecideAsync(
        HttpContext context, IAntiforgery antiforgery, OAuthIssuer issuer, IDbContextFactory<CatwalkDbContext> contexts,
        IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, ILogger<OAuthIssuer> logger)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the authorization request.");
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest("The consent form expired or did not come from Catwalk: start the connection again from the MCP client.");
        }

        var signedIn = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var viewer = signedIn.Succeeded ? CurrentViewer.From(signedIn.Principal!) : null;
        if (viewer is null)
        {
            return Results.Redirect(AccountPaths.Login);
        }

        if (!string.Equals(context.Request.Form[DecisionField], Approve, StringComparison.Ordinal))
        {
            return Reject(Errors.AccessDenied, "The user declined to connect this client.");
        }

        var deploymentId = RequestedDeployment(context, issuer, request);
        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var owner = deploymentId is null ? null
            : await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.OwnerId).FirstOrDefaultAsync(context.RequestAborted);
        if (owner is null || !viewer.CanSee(owner))
        {
            return Reject(Errors.AccessDenied, "Only the deployment's owner (or an admin) can connect a client to it.");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict accepted an unknown client.");
        var applicationId = await applications.GetIdAsync(application, context.RequestAborted);
        var resource = request.GetResources().Single();
        var identity = TokenIdentity(viewer.UserId, signedIn.Principal!.Identity?.Name, deploymentId!.Value, resource);

        // One approval per user, client and deployment: approving again reuses it (the page lists it once).
        var existing = await db.OAuthAuthorizations.Where(a => a.Application!.Id == applicationId && a.Subject == viewer.UserId
                && a.DeploymentId == deploymentId && a.Status == Statuses.Valid)
            .Select(a => a.Id).FirstOrDefaultAsync(context.RequestAborted);
        var authorizationId = existing ?? await CreateApprovalAsync(db, authorizations, identity, viewer.UserId, applicationId!, deploymentId.Value, context.RequestAborted);
        identity.SetAuthorizationId(authorizationId);
        LogApproved(logger, request.ClientId!, deploymentId.Value, viewer.UserId, viewer.IsAdmin && viewer.UserId != owner);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The token endpoint: codes and refresh tokens are honoured only while the user and the deployment exist and the user may still reach it.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext context, IDbContextFactory<CatwalkDbContext> contexts, UserManager<CatwalkUser> users)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the token request.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Reject(Errors.UnsupportedGrantType, "Only authorization_code and refresh_token grants are offered.", token: true);
        }

        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var userId = principal?.GetClaim(Claims.Subject);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (principal is null || user is null || !Guid.TryParse(principal.GetClaim(OAuthPaths.DeploymentClaim), out var deploymentId))
        {
            return Reject(Errors.InvalidGrant, "The approval is no longer valid: connect again.", token: true);
        }

        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var owner = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.OwnerId).FirstOrDefaultAsync(context.RequestAborted);
        var viewer = new Viewer(user.Id, await users.IsInRoleAsync(user, Viewer.AdminRole));
        if (owner is null || !viewer.CanSee(owner))
        {
            return Reject(Errors.InvalidGrant, "The deployment is gone or no longer yours: connect again.", token: true);
        }

        foreach (var claim in principal.Claims)
        {
            claim.SetDestinations(Destinations(claim));
        }

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static ClaimsIdentity TokenIdentity(string userId, string? name, Guid deploymentId, string resource)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId)
            .SetClaim(Claims.Name, name)
            .SetClaim(OAuthPaths.DeploymentClaim, deploymentId.ToString());
        identity.SetScopes(OAuthPaths.McpScope, Scopes.OfflineAccess);
        identity.SetResources(resource);
        identity.SetDestinations(Destinations);
        return identity;
    }

    private static async Task<string> CreateApprovalAsync(CatwalkDbContext db, IOpenIddictAuthorizationManager authorizations, ClaimsIdentity identity,
        string userId, string applicationId, Guid deploymentId, CancellationToken cancellationToken)
    {
        var created = await authorizations.CreateAsync(new ClaimsPrincipal(identity), userId, applicationId, AuthorizationTypes.Permanent,
            [OAuthPaths.McpScope, Scopes.OfflineAccess], cancellationToken);
        var id = await authorizations.GetIdAsync(created, cancellationToken);
        await db.OAuthAuthorizations.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeploymentId, deploymentId), cancellationToken);
        return id!;
    }

    /// <summary>The deployment claim travels in the access token (the forwarder checks it); nothing goes to identity tokens.</summary>
    private static IEnumerable<string> Destinations(Claim claim) =>
        claim.Type is OAuthPaths.DeploymentClaim or Claims.Subject or Claims.Name ? [OpenIddictConstants.Destinations.AccessToken] : [];

    internal static Guid? RequestedDeployment(HttpContext context, OAuthIssuer issuer, OpenIddictRequest request) =>
        request.GetResources() is { Length: 1 } resources ? issuer.DeploymentNamedBy(context.Request, resources[0]) : null;

    /// <summary>An OAuth error: redirected to the client with its state (authorization) or a JSON error (token).</summary>
    private static IResult Reject(string error, string description, bool token = false) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth client {ClientId} approved for deployment {DeploymentId} by user {UserId} (admin acting for the owner: {AsAdmin})")]
    private static partial void LogApproved(ILogger logger, string clientId, Guid deploymentId, string userId, bool asAdmin);
}
