namespace Catwalk.Web.Accounts;

/// <summary>Only same-site paths are followed after sign-in: anything else would make the login page an open redirect.</summary>
public static class LocalReturnUrl
{
    public static string Sanitize(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    /// <summary>The rule of <c>IUrlHelper.IsLocalUrl</c>: "/x" but not "//host" or "/\host"; "~/x" too.</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(char.IsControl))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }

        return url.Length > 1 && url[0] == '~' && url[1] == '/' && (url.Length == 2 || (url[2] != '/' && url[2] != '\\'));
    }
}
