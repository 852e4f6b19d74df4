namespace Catwalk.Web.Accounts;

/// <summary>Only same-site paths are followed after sign-in: anything else would make the login page an open redirect.</summary>
public static class LocalReturnUrl
{
    public static string Sanitize(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    /// <summary>A path on this site: "/x", but not "//host" or "/\host" (browsers read both as another host), nor control characters.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
