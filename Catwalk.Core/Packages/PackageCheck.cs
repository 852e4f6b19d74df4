namespace Catwalk.Core.Packages;

/// <summary>What a registry says about a package: whether it exists, its latest version, and (npm) its executables.</summary>
public sealed record PackageCheck(
    PackageRuntime Runtime,
    string Name,
    bool Exists,
    string? LatestVersion,
    IReadOnlyList<string> Executables,
    string? Description)
{
    public static PackageCheck Missing(PackageRuntime runtime, string name) => new(runtime, name, false, null, [], null);

    /// <summary>The registry's display name: "npm" or "PyPI".</summary>
    public static string RegistryName(PackageRuntime runtime) => runtime == PackageRuntime.Npm ? "npm" : "PyPI";
}
