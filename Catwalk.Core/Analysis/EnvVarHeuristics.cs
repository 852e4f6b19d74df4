using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Catwalk.Core.Analysis;

/// <summary>
/// Generic rules about environment variable names: which are platform or transport settings rather than the
/// server's own configuration, and which hold secrets.
/// </summary>
internal static partial class EnvVarHeuristics
{
    // Set by the OS, the shell, language runtimes, package managers or CI, never by the person deploying a server.
    private static readonly FrozenSet<string> PlatformNames = FrozenSet.ToFrozenSet(
    [
        "PATH", "HOME", "USER", "USERNAME", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TMPDIR", "TEMP", "TMP", "LANG", "LANGUAGE",
        "TZ", "TERM", "HOSTNAME", "APPDATA", "LOCALAPPDATA", "USERPROFILE", "PROGRAMFILES", "SYSTEMROOT", "WINDIR", "COMSPEC",
        "NODE_ENV", "NODE_OPTIONS", "NODE_PATH", "NODE_DEBUG", "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_NO_WARNINGS",
        "PYTHONPATH", "PYTHONHOME", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS",
        "VIRTUAL_ENV", "CONDA_PREFIX", "PIP_INDEX_URL",
        "DEBUG", "VERBOSE", "ENV", "CI", "GITHUB_ACTIONS", "DISPLAY",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY", "GLOBAL_AGENT_HTTP_PROXY",
        "PORT", "HOST", "TRANSPORT", "BIND", "BIND_ADDRESS", "LISTEN", "LISTEN_ADDRESS",
        "ALLOWED_HOSTS", "ALLOWED_ORIGINS", "STATELESS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE",
        "VERCEL", "NETLIFY", "DYNO", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "AWS_EXECUTION_ENV", "AWS_REGION_DEFAULT",
        "APIFY_IS_AT_HOME", "APIFY_META_ORIGIN", "APIFY_USER_ID", "APIFY_CONTAINER_PORT", "APIFY_CONTAINER_URL",
        "APP_NAME", "APP_VERSION", "PUBLIC_URL", "PUBLIC_BASE_URL", "BASE_URL_PUBLIC", "EXTERNAL_URL",
        // Container detection: set by the image or the orchestrator, never by the user. (DOCKER_HOST and the other
        // variables of Docker's own client say which daemon a Docker-driving server talks to: configuration.)
        "DOCKER_CONTAINER", "RUNNING_IN_DOCKER", "IN_DOCKER", "IS_DOCKER", "DOCKER", "CONTAINER", "IN_CONTAINER",
        "IS_CONTAINER", "RUNNING_IN_CONTAINER", "POD_NAME", "POD_NAMESPACE", "POD_IP", "NODE_NAME",
        // The user's desktop session, editor and MCP client: set by them for every program, never for this server.
        "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY", "WAYLAND_DISPLAY", "DESKTOP_SESSION", "EDITOR", "VISUAL", "GIT_EDITOR", "PAGER",
        "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "CLAUDECODE", "CLAUDE_CONFIG_DIR", "CODEX_HOME",
        "DO_NOT_TRACK",
    ], StringComparer.OrdinalIgnoreCase);

    // Families of platform variables, matched as prefixes.
    private static readonly string[] PlatformPrefixes =
    [
        "OTEL_", "FASTMCP_", "UV_", "PIP_", "NPM_CONFIG_", "NPM_PACKAGE_", "NPM_LIFECYCLE_", "YARN_", "PNPM_", "COREPACK_",
        "LC_", "XDG_", "PYTHON", "VSCODE_", "GITHUB_ACTION", "RUNNER_", "VERCEL_", "NETLIFY_", "AWS_LAMBDA_", "RAILWAY_",
        "RENDER_", "FLY_ALLOC", "FLY_APP", "FLY_MACHINE", "FLY_REGION", "ACTOR_", "ELECTRON_", "TEST_",
        "JEST_", "VITEST", "PYTEST_", "CYPRESS_", "PLAYWRIGHT_BROWSERS_", "COMPOSE_", "DNS_REBINDING", "CONTAINER_", "KUBERNETES_",
        "POD_", "CLAUDE_CODE_", "CURSOR_", "WINDSURF_", "ZED_", "DBUS_",
    ];

    // Whole words (between underscores) that mark logging, tests or the server's own HTTP transport.
    private static readonly FrozenSet<string> ExcludedWords = FrozenSet.ToFrozenSet(
    [
        "LOG", "LOGS", "LOGGING", "LOGLEVEL", "LOGGER", "VERBOSE", "TRANSPORT", "SSE", "STREAMABLE", "TEST", "TESTS", "TESTING", "E2E", "CORS",
        "OTLP", "JWKS", "ISSUER", "AUDIENCE", "PASSTHROUGH",
        // Debug switches are verbosity. (Telemetry opt-outs stay: the corpus labels count them as configuration.)
        "DEBUG",
        // Challenge tokens and the like answer a client's HTTP request: transport.
        "CHALLENGE",
    ], StringComparer.OrdinalIgnoreCase);

    // With OAUTH (or AUTH): words that make the server an OAuth authorization or resource server for its own HTTP
    // endpoint (its resource URL, the clients it allows, its consent screen), not a client of the service it wraps.
    private static readonly FrozenSet<string> OwnOAuthWords = FrozenSet.ToFrozenSet(
    [
        "RESOURCE", "PROXY", "ALLOWED", "GRANT", "GRANTS", "CONSENT", "INTROSPECTION", "DCR", "REGISTRATION", "METADATA",
    ], StringComparer.OrdinalIgnoreCase);

    // Secret-bearing words (between underscores).
    private static readonly FrozenSet<string> SecretWords = FrozenSet.ToFrozenSet(
    [
        "KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE", "CREDENTIAL", "CREDENTIALS", "CREDS",
        "PAT", "COOKIE", "COOKIES", "DSN", "AUTH", "BEARER", "PRIVATE", "CONNECTION", "CONNSTR",
    ], StringComparer.OrdinalIgnoreCase);

    // Words that turn a secret-looking name into something else: a path to a secret, an identifier, a switch.
    private static readonly FrozenSet<string> NotSecretWords = FrozenSet.ToFrozenSet(
    [
        "PATH", "FILE", "DIR", "DIRECTORY", "ID", "IDS", "NAME", "TYPE", "URL", "ENDPOINT", "HOST", "HEADER", "HEADERS", "EXPIRY",
        "EXPIRES", "TTL", "TIMEOUT", "MASK", "ENABLE", "ENABLED", "DISABLE", "DISABLED", "MODE", "METHOD", "PREFIX", "LENGTH",
        "FORMAT", "SCOPE", "SCOPES", "REGION", "CERT", "ISSUER", "AUDIENCE", "REDIRECT", "URI", "CALLBACK", "INTERVAL",
        "ALLOW", "SKIP", "VERIFY", "SSL", "TLS", "USE", "CACHE", "STORAGE", "LIMIT", "MAX", "MIN", "PATTERN", "REGEX", "SUFFIX",
    ], StringComparer.OrdinalIgnoreCase);

    // Variables that are connection strings: they can carry credentials.
    private static readonly FrozenSet<string> DatabaseWords = FrozenSet.ToFrozenSet(
    [
        "DATABASE", "DB", "MONGO", "MONGODB", "POSTGRES", "POSTGRESQL", "PG", "MYSQL", "MARIADB", "REDIS", "AMQP", "RABBITMQ",
        "MSSQL", "SQLSERVER", "NEO4J", "ELASTICSEARCH", "SUPABASE_DB", "CLICKHOUSE", "SNOWFLAKE", "KAFKA", "NATS",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when <paramref name="name"/> is the server's own configuration rather than a platform, logging, test or
    /// HTTP-transport variable. The rules are generic, never about one repository.
    /// </summary>
    public static bool IsServerConfiguration(string name)
    {
        if (!EnvName().IsMatch(name) || PlatformNames.Contains(name))
        {
            return false;
        }

        var upper = name.ToUpperInvariant();
        if (PlatformPrefixes.Any(prefix => upper.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return false;
        }

        var words = upper.Split('_', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(ExcludedWords.Contains))
        {
            return false;
        }

        // The server's own HTTP listener: MCP_PORT, HTTP_HOST, BRAVE_MCP_PORT, SERVER_PORT, ENABLE_HTTP_SERVER. A port or
        // host of something the server connects to (DB_HOST, CHROMA_PORT) is configuration and stays.
        if (words.Length >= 2 && words[^1] is "PORT" or "HOST" or "HOSTNAME" or "BIND" && words[^2] is "MCP" or "HTTP" or "SERVER" or "LISTEN")
        {
            return false;
        }

        if (words.Contains("HTTP") && words.Contains("SERVER"))
        {
            return false;
        }

        // YOUR_API_KEY, YOUR_STRIPE_SECRET_KEY: a placeholder for a value in an example, not a variable.
        if (words[0] is "YOUR")
        {
            return false;
        }

        // The token or key guarding the server's own endpoint: MCP_AUTH_TOKEN, MCP_API_KEY, HTTP_AUTH_TOKEN, SERVER_BEARER_TOKEN.
        if (words.Length >= 2 && words[0] is "MCP" or "HTTP" or "SERVER" or "SSE" && words.Skip(1).All(w => w is "AUTH" or "TOKEN" or "API" or "KEY" or "BEARER" or "SECRET" or "ACCESS"))
        {
            return false;
        }

        // Credentials sent by each HTTP request (IGNORE_HEADER_AUTH, AUTH_HEADER_NAME) exist only on the HTTP transport.
        if (words.Any(w => w is "HEADER" or "HEADERS") && words.Any(w => w is "AUTH" or "OAUTH"))
        {
            return false;
        }

        return !(words.Any(w => w is "OAUTH" or "AUTH") && words.Any(OwnOAuthWords.Contains));
    }

    /// <summary>True when the name (and description, when known) say the value is a secret.</summary>
    public static bool LooksSecret(string name, string? description)
    {
        var upper = name.ToUpperInvariant();
        var words = upper.Split('_', StringSplitOptions.RemoveEmptyEntries);
        if (description is not null && PathDescription().IsMatch(description) && !words.Contains("KUBECONFIG"))
        {
            return false;
        }

        if (words.Any(DatabaseWords.Contains) && words[^1] is "URI" or "URL" or "DSN" or "CONNECTION" or "STRING")
        {
            return true;
        }

        if (upper.Contains("CONNECTION_STRING", StringComparison.Ordinal) || upper.EndsWith("_DSN", StringComparison.Ordinal))
        {
            return true;
        }

        // A KUBECONFIG's contents carry cluster credentials; its path does not.
        if (words.Contains("KUBECONFIG"))
        {
            return words[^1] is "YAML" or "JSON" or "CONTENT" or "CONTENTS" or "DATA" or "B64" or "BASE64";
        }

        var secretIndex = Array.FindIndex(words, w => SecretWords.Contains(w) || w.EndsWith("APIKEY", StringComparison.Ordinal) || w.EndsWith("TOKEN", StringComparison.Ordinal));
        if (secretIndex < 0)
        {
            return false;
        }

        // AUTH and PRIVATE alone are weak: AUTH_TYPE, PRIVATE_MODE. They count only as the last word or next to KEY/TOKEN.
        if (words[secretIndex] is "AUTH" or "PRIVATE" or "CONNECTION" && secretIndex != words.Length - 1
            && !words.Skip(secretIndex + 1).Any(w => w is "KEY" or "TOKEN" or "SECRET" or "CREDENTIALS" or "HEADER" or "STRING"))
        {
            return false;
        }

        // KEY_PATH, TOKEN_URL, CLIENT_SECRET_FILE, MASK_SECRETS, ENABLE_AUTH: words after (or a switch before) the secret word.
        var after = words.Skip(secretIndex + 1).ToArray();
        if (after.Any(NotSecretWords.Contains) || words.Take(secretIndex).Any(w => w is "MASK" or "ENABLE" or "DISABLE" or "USE" or "REQUIRE" or "SKIP"))
        {
            return after.Any(w => w is "PASSWORD" or "SECRET" or "TOKEN");
        }

        return true;
    }

    /// <summary>Values such as /path/to/key.pem, ~/.config/app.json or C:\keys\client.key.</summary>
    public static bool LooksLikeFilePath(string value) =>
        !value.Contains(' ', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal) && FilePath().IsMatch(value);

    /// <summary>Example values that show a credential's shape: bearer headers, well-known token prefixes.</summary>
    public static bool LooksLikeCredential(string value) => CredentialValue().IsMatch(value);

    /// <summary>A token that can be an environment variable name in prose or code.</summary>
    public static bool LooksLikeEnvName(string token, bool allowSingleWord) =>
        EnvName().IsMatch(token)
        && token.Any(char.IsAsciiLetterUpper)
        && token.All(c => !char.IsAsciiLetterLower(c))
        && token.Length >= 3
        && (token.Contains('_', StringComparison.Ordinal) ? !token.StartsWith('_') && !token.EndsWith('_') : allowSingleWord && token.Length >= 4 && !CommonUpperWords.Contains(token));

    private static readonly FrozenSet<string> CommonUpperWords = FrozenSet.ToFrozenSet(
    [
        "JSON", "YAML", "HTTP", "HTTPS", "TRUE", "FALSE", "NULL", "NONE", "NOTE", "TODO", "README", "MCP", "URL", "URLS", "CLI",
        "STDIO", "NPM", "NPX", "UVX", "API", "APIS", "GET", "POST", "PUT", "DELETE", "PATCH", "HTML", "TOML", "UUID", "UTF8", "ASCII",
        "IMPORTANT", "WARNING", "TIP", "CAUTION", "LICENSE", "MIT", "AND", "NOT", "THE", "FOR", "WITH", "FROM", "THIS", "THAT", "YOUR",
        "OAUTH", "SDK", "SSH", "TLS", "SSL", "CSV", "PDF", "PNG", "JPEG", "SVG", "HTML", "XML", "REST", "GRAPHQL", "SQL", "UTC",
        "WARN", "ERROR", "INFO", "TRACE", "FATAL", "ONLY", "ALL", "ANY", "OPTIONAL", "REQUIRED", "DEFAULT", "EXAMPLE", "BETA", "ALPHA",
    ], StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    [GeneratedRegex(@"\bBearer\s|""Authorization""|^(?:sk|pk|rk)-[A-Za-z0-9_\-*]|^gh[pousr]_|^github_pat_|^xox[abprs]-|^ntn_|^secret_|^AKIA[0-9A-Z]|^glpat-|^eyJ[A-Za-z0-9_\-]+\.", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialValue();

    [GeneratedRegex(@"^(?:~|\.{1,2}|\$\{?HOME\}?)?/[^/]|^[A-Za-z]:\\|\.(?:pem|key|crt|cer|cert|p12|pfx|json|ya?ml|toml|txt|db|sqlite)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FilePath();

    [GeneratedRegex(@"\b(path to|path of|path for|file path|filepath|directory|folder)\b|^\s*(the\s+)?(absolute\s+|local\s+)?path\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PathDescription();
}
