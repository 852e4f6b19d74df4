namespace Catwalk.Core.Packages;

/// <summary>How a stdio MCP server package is run: <c>npx -y</c> for npm, <c>uvx</c> for PyPI.</summary>
public enum PackageRuntime
{
    Npm,
    Pypi,
}
