using System.Collections;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The environment of an MCP server process: an allowlist of the host's variables that tools need to run
/// (PATH, HOME, locale, temp, npm/uv/node settings) plus the deployment's credentials. Everything else of
/// the host's, its own secrets (ENCRYPTION_KEY, DATABASE_URL, FLY_API_TOKEN, OPENROUTER_API_KEY, ...)
/// included, never reaches the child; the credentials never enter the host's environment.
/// </summary>
internal static class ChildProcessEnvironment
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "USER", "LOGNAME", "SHELL", "TERM",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
        // Windows needs these to start any process at all.
        "SystemRoot", "SystemDrive", "windir", "ComSpec", "PATHEXT", "APPDATA", "LOCALAPPDATA", "USERPROFILE",
        "HOMEDRIVE", "HOMEPATH", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "USERNAME",
        "PROCESSOR_ARCHITECTURE", "NUMBER_OF_PROCESSORS",
    };

    private static readonly string[] Prefixes = ["LC_", "NODE_", "npm_config_", "UV_", "XDG_"];

    // Tool settings under an allowed prefix can still hold a host secret (NODE_AUTH_TOKEN,
    // npm_config__authToken, UV_PUBLISH_PASSWORD): those stay with the host.
    private static readonly string[] SecretMarkers = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "AUTH", "CREDENTIAL", "APIKEY", "API_KEY", "PRIVATE"];

    /// <summary>The child's whole environment: allowed host variables, then the credentials on top.</summary>
    public static Dictionary<string, string> Build(IDictionary hostEnvironment, IReadOnlyDictionary<string, string> credentials)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in hostEnvironment)
        {
            if (entry.Key is string name && entry.Value is string value && IsAllowed(name)
                // Bash exported functions ("() { ...") are code, not settings.
                && !value.StartsWith("()", StringComparison.Ordinal))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in credentials)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static bool IsAllowed(string name) =>
        Names.Contains(name)
        || (Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            && !SecretMarkers.Any(marker => name.Contains(marker, StringComparison.OrdinalIgnoreCase)));
}
