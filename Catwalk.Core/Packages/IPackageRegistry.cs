namespace Catwalk.Core.Packages;

/// <summary>Looks a package up on its registry (npm or PyPI).</summary>
public interface IPackageRegistry
{
    /// <summary>
    /// The package's registry entry, or <see cref="PackageCheck.Exists"/> false when the registry does not know it.
    /// Throws <see cref="PackageRegistryUnavailableException"/> when the registry cannot be asked.
    /// </summary>
    Task<PackageCheck> CheckAsync(PackageRuntime runtime, string name, CancellationToken cancellationToken);
}
