using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Catwalk.Core.GitHub;

/// <summary>
/// A GitHub repository URL as Catwalk accepts it: <c>https://github.com/&lt;owner&gt;/&lt;repo&gt;</c>, optionally
/// <c>/tree/&lt;ref&gt;/&lt;subdir&gt;</c> for a server that lives in a folder of a monorepo.
/// </summary>
public sealed partial record GitHubRepoUrl
{
    /// <summary>What the form and every error message say is accepted.</summary>
    public const string AcceptedForms =
        "Enter a GitHub repository URL such as https://github.com/owner/repo, or https://github.com/owner/repo/tree/main/path/to/server for a server in a folder of a larger repository.";

    private const int MaxLength = 400;

    private GitHubRepoUrl(string owner, string repository, string? gitRef, string? subdirectory)
    {
        Owner = owner;
        Repository = repository;
        Ref = gitRef;
        Subdirectory = subdirectory;
    }

    public string Owner { get; }

    public string Repository { get; }

    /// <summary>The branch, tag or commit named in a <c>/tree/</c> URL; null means the default branch.</summary>
    public string? Ref { get; }

    /// <summary>The folder inside the repository (no leading or trailing slash); null for the root.</summary>
    public string? Subdirectory { get; }

    /// <summary>The canonical form, used as the cache key: lowercase owner and repo, no <c>.git</c>, no trailing slash.</summary>
    public string Normalized =>
        Ref is null
            ? $"https://github.com/{Owner.ToLowerInvariant()}/{Repository.ToLowerInvariant()}"
            : $"https://github.com/{Owner.ToLowerInvariant()}/{Repository.ToLowerInvariant()}/tree/{Ref}{(Subdirectory is null ? "" : "/" + Subdirectory)}";

    /// <summary>A short label such as <c>owner/repo</c> or <c>owner/repo/src/server</c>.</summary>
    public string DisplayName => Subdirectory is null ? $"{Owner}/{Repository}" : $"{Owner}/{Repository}/{Subdirectory}";

    public override string ToString() => Normalized;

    /// <summary>The same repository at another split of ref and folder (refs may contain slashes).</summary>
    internal GitHubRepoUrl WithRefAndSubdirectory(string gitRef, string? subdirectory) =>
        new(Owner, Repository, gitRef, string.IsNullOrEmpty(subdirectory) ? null : subdirectory);

    /// <summary>Parses and validates <paramref name="input"/>; on failure <paramref name="error"/> says what is accepted.</summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out GitHubRepoUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        error = Validate(input, out var parsed);
        if (error is not null)
        {
            return false;
        }

        url = parsed!;
        return true;
    }

    /// <summary>Parses <paramref name="input"/> or throws <see cref="FormatException"/> with a message that says what is accepted.</summary>
    public static GitHubRepoUrl Parse(string? input) =>
        TryParse(input, out var url, out var error) ? url : throw new FormatException(error);

    private static string? Validate(string? input, out GitHubRepoUrl? url)
    {
        url = null;
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return "Enter a URL. " + AcceptedForms;
        }

        if (text.Length > MaxLength)
        {
            return $"That URL is too long (at most {MaxLength} characters). " + AcceptedForms;
        }

        // Scheme-less input ("github.com/owner/repo") is what people often paste.
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return "That is not a URL. " + AcceptedForms;
        }

        if (uri.Scheme is not ("https" or "http"))
        {
            return $"Only https URLs are accepted, not {uri.Scheme}:. " + AcceptedForms;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not contain a user name or password. " + AcceptedForms;
        }

        if (!uri.IsDefaultPort)
        {
            return "The URL must not name a port. " + AcceptedForms;
        }

        if (!string.Equals(uri.Host, "github.com", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(uri.Host, "www.github.com", StringComparison.OrdinalIgnoreCase))
        {
            return $"Only repositories on github.com are supported, not {uri.Host}. " + AcceptedForms;
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            return "The URL must not have a query string (the part after '?'). " + AcceptedForms;
        }

        // Work on the path exactly as typed: Uri would silently resolve "..", which must be rejected instead.
        var rawPath = RawPath(text);
        if (rawPath.Contains('%', StringComparison.Ordinal) || rawPath.Contains('\\', StringComparison.Ordinal))
        {
            return "The URL contains characters that are not allowed (such as % or \\). " + AcceptedForms;
        }

        var segments = rawPath.Trim('/').Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            return "The URL has an empty path segment ('//'). " + AcceptedForms;
        }

        if (segments.Any(s => s is "." or ".."))
        {
            return "The URL must not contain '.' or '..' segments. " + AcceptedForms;
        }

        if (segments.Length < 2)
        {
            return "The URL must name both the owner and the repository. " + AcceptedForms;
        }

        var owner = segments[0];
        var repository = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        if (!OwnerPattern().IsMatch(owner))
        {
            return $"'{owner}' is not a valid GitHub owner name (letters, digits and single hyphens, at most 39 characters). " + AcceptedForms;
        }

        if (repository.Length is 0 or > 100 || !RepositoryPattern().IsMatch(repository) || repository is "." or "..")
        {
            return $"'{repository}' is not a valid repository name (letters, digits, '.', '-' and '_'). " + AcceptedForms;
        }

        if (segments.Length == 2)
        {
            url = new GitHubRepoUrl(owner, repository, null, null);
            return null;
        }

        if (segments[2] != "tree" || segments.Length < 4)
        {
            return segments[2] == "blob"
                ? "That URL points at a file; use the repository or folder URL instead. " + AcceptedForms
                : "Only repository URLs and /tree/<branch>/<folder> URLs are accepted. " + AcceptedForms;
        }

        if (segments[1] != repository)
        {
            return "A /tree/ URL must not have '.git' after the repository name. " + AcceptedForms;
        }

        var gitRef = segments[3];
        if (!RefPattern().IsMatch(gitRef) || gitRef.EndsWith(".lock", StringComparison.Ordinal))
        {
            return $"'{gitRef}' is not a valid branch, tag or commit name. " + AcceptedForms;
        }

        var folder = segments[4..];
        var badSegment = folder.FirstOrDefault(s => !PathSegmentPattern().IsMatch(s));
        if (badSegment is not null)
        {
            return $"The folder name '{badSegment}' contains characters that are not allowed. " + AcceptedForms;
        }

        url = new GitHubRepoUrl(owner, repository, gitRef, folder.Length == 0 ? null : string.Join('/', folder));
        return null;
    }

    private static string RawPath(string text)
    {
        var afterScheme = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var cut = afterScheme.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            afterScheme = afterScheme[..cut];
        }

        var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : afterScheme[slash..];
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex RefPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegmentPattern();
}
