namespace Catwalk.Web.Accounts;

/// <summary>The account pages' addresses, shared by the cookie handler, the pages and the layout.</summary>
public static class AccountPaths
{
    public const string Login = "/account/login";
    public const string Register = "/account/register";
    public const string Logout = "/account/logout";
    public const string ChangePassword = "/account/password";
    public const string AccessDenied = "/account/access-denied";
    public const string GitHubLogin = "/account/login/github";
    public const string GitHubComplete = "/account/login/github/complete";
    public const string GitHubCallback = "/account/login/github/callback";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>Login with a return URL (made local first).</summary>
    public static string LoginReturningTo(string? returnUrl) =>
        $"{Login}?{ReturnUrlParameter}={Uri.EscapeDataString(LocalReturnUrl.Sanitize(returnUrl))}";
}
