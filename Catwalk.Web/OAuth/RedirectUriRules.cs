using System.Net;

namespace Catwalk.Web.OAuth;

/// <summary>Which redirect URIs a client may register: https anywhere, or http on loopback (native clients, RFC 8252).</summary>
public static class RedirectUriRules
{
    public const int MaxLength = 2000;

    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return $"'{Shorten(value)}' is not an absolute URL.";
        }

        if (uri.Fragment.Length > 0)
        {
            return $"'{Shorten(value)}' has a fragment; redirect URIs must not.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
        {
            return null;
        }

        return $"'{Shorten(value)}' must use https (or http on 127.0.0.1, [::1] or localhost).";
    }

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string Shorten(string? value) => value is null ? "" : value.Length > 80 ? value[..80] + "…" : value;
}
