namespace Catwalk.Core.GitHub;

/// <summary>What Catwalk uses of <c>GET /repos/{owner}/{repo}</c>.</summary>
public sealed record GitHubRepository(string FullName, string? Description, string DefaultBranch, string? HtmlUrl);

/// <summary>One blob of <c>GET /repos/{owner}/{repo}/git/trees/{ref}?recursive=1</c>.</summary>
public sealed record GitHubTreeEntry(string Path, long? Size);

/// <summary>The files of a repository at a ref; <see cref="Truncated"/> when GitHub cut the listing short.</summary>
public sealed record GitHubTree(IReadOnlyList<GitHubTreeEntry> Files, bool Truncated);
