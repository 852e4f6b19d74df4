using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Identity;

namespace Catwalk.Web.Accounts;

/// <summary>
/// "Sign in with GitHub" through the framework's OAuth handler, on when <c>GITHUB_CLIENT_ID</c> and
/// <c>GITHUB_CLIENT_SECRET</c> are set. <c>GITHUB_OAUTH_BASE_URL</c> moves every GitHub endpoint (authorize,
/// token, user, emails) under one base URL, for GitHub Enterprise or a test double.
/// </summary>
internal static class GitHubSignIn
{
    public const string Scheme = "GitHub";
    public const string ClientIdVariable = "GITHUB_CLIENT_ID";
    public const string ClientSecretVariable = "GITHUB_CLIENT_SECRET";
    public const string BaseUrlVariable = "GITHUB_OAUTH_BASE_URL";

    /// <summary>Claim holding "true" when GitHub says the email is verified; only then does it link accounts.</summary>
    public const string EmailVerifiedClaim = "urn:github:email_verified";

    public static WebApplicationBuilder AddGitHubSignIn(this WebApplicationBuilder builder)
    {
        var settings = new Core.Hosting.SettingReader(builder.Configuration);
        var clientId = settings.Text(ClientIdVariable);
        var clientSecret = settings.Text(ClientSecretVariable);
        if (clientId is null && clientSecret is null)
        {
            return builder;
        }

        if (clientId is null || clientSecret is null)
        {
            throw new Core.Hosting.ConfigurationException(
                $"{ClientIdVariable} and {ClientSecretVariable} go together: set both (from a GitHub OAuth app) to offer GitHub sign-in, or neither.");
        }

        var baseUrl = settings.Text(BaseUrlVariable)?.TrimEnd('/');
        if (!string.IsNullOrEmpty(baseUrl) && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            throw new Core.Hosting.ConfigurationException($"{BaseUrlVariable} is '{baseUrl}': set it to an absolute URL such as https://github.example.com, or unset it for github.com.");
        }

        var web = string.IsNullOrEmpty(baseUrl) ? "https://github.com" : baseUrl;
        var api = string.IsNullOrEmpty(baseUrl) ? "https://api.github.com" : baseUrl;
        builder.Services.AddAuthentication().AddOAuth(Scheme, "GitHub", options =>
        {
            options.SignInScheme = IdentityConstants.ExternalScheme;
            options.ClientId = clientId;
            options.ClientSecret = clientSecret;
            options.CallbackPath = AccountPaths.GitHubCallback;
            options.AuthorizationEndpoint = web + "/login/oauth/authorize";
            options.TokenEndpoint = web + "/login/oauth/access_token";
            options.UserInformationEndpoint = api + "/user";
            options.Scope.Add("read:user");
            options.Scope.Add("user:email");
            options.UsePkce = true;
            // GitHub comes back with a top-level GET: Lax is enough, and plain-HTTP development keeps working.
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ClaimActions.MapJsonKey(ClaimTypes.NameIdentifier, "id");
            options.ClaimActions.MapJsonKey(ClaimTypes.Name, "login");
            options.Events.OnCreatingTicket = context => AddUserClaimsAsync(context, api);
        });
        return builder;
    }

    private static async Task AddUserClaimsAsync(OAuthCreatingTicketContext context, string api)
    {
        using (var user = await GetJsonAsync(context, context.Options.UserInformationEndpoint))
        {
            context.RunClaimActions(user.RootElement);
        }

        using var emails = await GetJsonAsync(context, api + "/user/emails");
        var chosen = emails.RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("email", out var v) && v.ValueKind == JsonValueKind.String)
            .Select(e => (Email: e.GetProperty("email").GetString()!, Primary: IsTrue(e, "primary"), Verified: IsTrue(e, "verified")))
            .OrderByDescending(e => e.Verified).ThenByDescending(e => e.Primary)
            .FirstOrDefault();
        if (chosen.Email is not null)
        {
            context.Identity!.AddClaim(new Claim(ClaimTypes.Email, chosen.Email));
            context.Identity.AddClaim(new Claim(EmailVerifiedClaim, chosen.Verified ? "true" : "false"));
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(OAuthCreatingTicketContext context, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Catwalk", "1.0"));
        using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(context.HttpContext.RequestAborted),
            cancellationToken: context.HttpContext.RequestAborted);
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static async Task<bool> IsEnabledAsync(IAuthenticationSchemeProvider schemes) => await schemes.GetSchemeAsync(Scheme) is not null;
}
