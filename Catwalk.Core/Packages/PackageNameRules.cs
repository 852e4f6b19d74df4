using System.Text.RegularExpressions;

namespace Catwalk.Core.Packages;

/// <summary>
/// npm's and PyPI's naming rules for packages and versions. Every package string that reaches a process
/// (npx, uvx, a machine's entrypoint) or a registry URL passes through here first.
/// </summary>
public static partial class PackageNameRules
{
    /// <summary>null when valid, else a message that says what a valid name looks like.</summary>
    public static string? ValidatePackage(PackageRuntime runtime, string? name) => runtime switch
    {
        _ when string.IsNullOrWhiteSpace(name) => "Enter the package name.",
        PackageRuntime.Npm when name.Length > 214 || !NpmName().IsMatch(name) =>
            $"'{Shorten(name)}' is not a valid npm package name: use lowercase letters, digits and - . _ ~, not starting with - . or _, optionally scoped as @scope/name (at most 214 characters).",
        PackageRuntime.Pypi when name.Length > 128 || !PypiName().IsMatch(name) =>
            $"'{Shorten(name)}' is not a valid PyPI project name: use letters, digits and - . _, starting and ending with a letter or digit.",
        _ => null,
    };

    /// <summary>null when the version (optional) is valid for the runtime, else a message.</summary>
    public static string? ValidateVersion(PackageRuntime runtime, string? version) => runtime switch
    {
        _ when string.IsNullOrEmpty(version) => null,
        PackageRuntime.Npm when version.Length > 64 || !NpmVersion().IsMatch(version) =>
            $"'{Shorten(version)}' is not a valid npm version or tag: use an exact version such as 1.2.3 or a tag such as latest.",
        PackageRuntime.Pypi when version.Length > 64 || !PypiVersion().IsMatch(version) =>
            $"'{Shorten(version)}' is not a valid PyPI version: use an exact version such as 1.2.3 or 2.0.0rc1.",
        _ => null,
    };

    /// <summary>null when the environment variable name is valid (<c>^[A-Za-z_][A-Za-z0-9_]*$</c>), else a message.</summary>
    public static string? ValidateEnvironmentVariableName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && EnvName().IsMatch(name)
            ? null
            : $"'{Shorten(name ?? "")}' is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.";

    /// <summary>The name's runtime form for <c>npx -y</c> or <c>uvx</c>, pinned to the version when one is given.</summary>
    public static string ToPackageSpec(PackageRuntime runtime, string package, string? version) =>
        string.IsNullOrEmpty(version) ? package : runtime == PackageRuntime.Npm ? $"{package}@{version}" : $"{package}=={version}";

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";

    // The name never starts with '-' (npx would read it as an option); deploy/mcp-entrypoint.sh applies the same pattern.
    [GeneratedRegex(@"^(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~][a-z0-9._~-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NpmName();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PypiName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NpmVersion();

    [GeneratedRegex(@"^v?[0-9]+(?:![0-9]+)?(?:[.][0-9]+)*(?:[._-]?(?:a|b|c|rc|alpha|beta|pre|preview)[0-9]*)?(?:[._-]?(?:post|rev|r)[0-9]*)?(?:[._-]?dev[0-9]*)?(?:\+[A-Za-z0-9.]+)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PypiVersion();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}
