namespace Catwalk.Core.Analysis.Reading;

/// <summary>
/// Paths as the person who pasted the URL reads them: a file of the server's folder relative to that folder
/// (<c>README.md</c> for <c>src/server/README.md</c>); a file read from elsewhere (the repository root's README as a
/// fallback for a folder without one) at its repository path.
/// </summary>
internal static class ServerFolderPaths
{
    public static string Relative(string repositoryPath, string? serverFolder)
    {
        var prefix = serverFolder?.Trim('/') + "/";
        return prefix.Length > 1 && repositoryPath.StartsWith(prefix, StringComparison.Ordinal) ? repositoryPath[prefix.Length..] : repositoryPath;
    }
}
