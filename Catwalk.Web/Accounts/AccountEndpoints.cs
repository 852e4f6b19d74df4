using System.Security.Claims;
using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Accounts;

/// <summary>The account actions that are plain HTTP, not pages: sign-out, and the GitHub sign-in round trip.</summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post with an antiforgery token (validated by UseAntiforgery): a link cannot sign anyone out.
        endpoints.MapPost(AccountPaths.Logout, SignOutAsync);
        endpoints.MapPost(AccountPaths.GitHubLogin, ChallengeGitHub);
        endpoints.MapGet(AccountPaths.GitHubComplete, CompleteGitHubAsync);
        return endpoints;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(
        ClaimsPrincipal user, SignInManager<CatwalkUser> signIn, AuditLog audit, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        await signIn.SignOutAsync();
        if (userId is not null)
        {
            await audit.RecordAsync(userId, AuditActions.SignOut, user.Identity?.Name, null, cancellationToken);
        }

        return TypedResults.LocalRedirect(LocalReturnUrl.Sanitize(returnUrl));
    }

    private static async Task<Results<ChallengeHttpResult, RedirectHttpResult>> ChallengeGitHub(
        SignInManager<CatwalkUser> signIn, IAuthenticationSchemeProvider schemes, [FromForm] string? returnUrl)
    {
        if (!await GitHubSignIn.IsEnabledAsync(schemes))
        {
            return TypedResults.LocalRedirect(AccountPaths.LoginReturningTo(returnUrl));
        }

        var complete = $"{AccountPaths.GitHubComplete}?{AccountPaths.ReturnUrlParameter}={Uri.EscapeDataString(LocalReturnUrl.Sanitize(returnUrl))}";
        var properties = signIn.ConfigureExternalAuthenticationProperties(GitHubSignIn.Scheme, complete);
        return TypedResults.Challenge(properties, [GitHubSignIn.Scheme]);
    }

    private static async Task<RedirectHttpResult> CompleteGitHubAsync(
        SignInManager<CatwalkUser> signIn, UserManager<CatwalkUser> users, AuditLog audit, IOptions<AccessPolicyOptions> accessPolicy,
        [FromQuery] string? returnUrl, CancellationToken cancellationToken)
    {
        var target = LocalReturnUrl.Sanitize(returnUrl);
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return LoginError(target, "github-failed");
        }

        var login = info.Principal.Identity?.Name ?? info.ProviderKey;
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (result.Succeeded)
        {
            var linked = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            await audit.RecordAsync(linked?.Id, AuditActions.SignIn, linked?.Email, "github:" + login, cancellationToken);
            return TypedResults.LocalRedirect(target);
        }

        if (result.IsLockedOut)
        {
            return LoginError(target, "locked");
        }

        var email = info.Principal.FindFirstValue(ClaimTypes.Email);
        if (email is null || info.Principal.FindFirstValue(GitHubSignIn.EmailVerifiedClaim) != "true")
        {
            await audit.RecordAsync(null, AuditActions.SignInFailed, email, "github:" + login + ": no verified email", cancellationToken);
            return LoginError(target, "github-email");
        }

        var user = await users.FindByEmailAsync(email);
        var created = user is null;
        if (user is null && !accessPolicy.Value.RegistrationOpen)
        {
            // Closed registration: GitHub signs in existing accounts only.
            await audit.RecordAsync(null, AuditActions.SignInFailed, email, "github:" + login + ": registration is closed", cancellationToken);
            return LoginError(target, "registration-closed");
        }

        if (user is null)
        {
            user = new CatwalkUser { UserName = email, Email = email, EmailConfirmed = true };
            if (!(await users.CreateAsync(user)).Succeeded)
            {
                return LoginError(target, "github-failed");
            }
        }

        else if (!user.EmailConfirmed && await users.HasPasswordAsync(user))
        {
            // Registration does not prove the email: whoever set this password may not own the address GitHub
            // just verified (a pre-registered trap account). The GitHub user takes the account over; the old
            // password stops working and they can set a new one.
            if (!(await users.RemovePasswordAsync(user)).Succeeded)
            {
                return LoginError(target, "github-failed");
            }
        }

        user.EmailConfirmed = true;
        if (!(await users.UpdateAsync(user)).Succeeded || !(await users.AddLoginAsync(user, info)).Succeeded)
        {
            return LoginError(target, "github-failed");
        }

        await signIn.SignOutAsync();
        await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
        await audit.RecordAsync(user.Id, created ? AuditActions.Register : AuditActions.SignIn, email, "github:" + login + (created ? "" : " (linked)"), cancellationToken);
        return TypedResults.LocalRedirect(target);
    }

    private static RedirectHttpResult LoginError(string returnUrl, string error) =>
        TypedResults.LocalRedirect($"{AccountPaths.LoginReturningTo(returnUrl)}&error={error}");
}
