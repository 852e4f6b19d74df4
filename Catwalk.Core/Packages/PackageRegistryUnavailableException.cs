namespace Catwalk.Core.Packages;

/// <summary>The npm registry or PyPI could not be asked (network error, timeout, or a 5xx answer).</summary>
public sealed class PackageRegistryUnavailableException : Exception
{
    public PackageRegistryUnavailableException()
    {
    }

    public PackageRegistryUnavailableException(string message)
        : base(message)
    {
    }

    public PackageRegistryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
