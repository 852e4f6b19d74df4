namespace Catwalk.Web.Api;

/// <summary><c>POST /api/analyze</c>: the repository to analyse; <see cref="Force"/> skips the cache.</summary>
public sealed record AnalyzeBody(string? RepoUrl, bool Force = false);
