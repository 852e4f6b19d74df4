namespace Catwalk.Core.Packages;

/// <summary>Where package metadata is read: <c>NPM_REGISTRY_URL</c> and <c>PYPI_BASE_URL</c>.</summary>
public sealed class PackageRegistryOptions
{
    public const string NpmRegistryVariable = "NPM_REGISTRY_URL";
    public const string PypiBaseVariable = "PYPI_BASE_URL";

    public Uri NpmRegistryUrl { get; set; } = new("https://registry.npmjs.org/");

    public Uri PypiBaseUrl { get; set; } = new("https://pypi.org/");

    /// <summary>Problems found while binding, each naming its variable; start-up fails when there are any.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
