using Catwalk.Core.Hosting;
using Npgsql;

namespace Catwalk.Core.Persistence;

/// <summary>
/// Turns <c>DATABASE_URL</c> into an Npgsql connection string. Accepts the URL form Fly and Heroku give
/// (<c>postgres://user:pass@host:port/db?sslmode=require</c>) and the Npgsql keyword form unchanged.
/// </summary>
public static class DatabaseUrl
{
    public static string ToConnectionString(string databaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        var value = databaseUrl.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            return ParseKeywordForm(value);
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw Invalid("it must start with postgres:// or postgresql://");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid("it has no host");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            // Uri keeps IPv6 hosts in brackets; Npgsql wants the bare address.
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
        };

        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var (key, raw) in ParseQuery(uri.Query))
        {
            ApplyQueryParameter(builder, key, raw);
        }

        return builder.ConnectionString;
    }

    private static string ParseKeywordForm(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw Invalid(ex.Message);
        }
    }

    private static void ApplyQueryParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Invalid($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "connect_timeout":
                builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "options":
                builder.Options = value;
                break;
            default:
                // Unknown libpq parameters are ignored rather than guessed at.
                break;
        }
    }

    private static IEnumerable<(string Key, string Value)> ParseQuery(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            yield return (key, value);
        }
    }

    private static ConfigurationException Invalid(string why) =>
        new($"DATABASE_URL is not a valid PostgreSQL connection string: {why}. " +
            "Use postgres://user:password@host:5432/database?sslmode=require or the Npgsql form " +
            "'Host=...;Port=5432;Database=...;Username=...;Password=...', or unset it to use the embedded PostgreSQL.");
}
