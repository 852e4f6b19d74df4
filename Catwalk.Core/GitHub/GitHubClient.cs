using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.GitHub;

/// <summary>
/// The three GitHub REST endpoints repository analysis needs (repo metadata, the recursive tree, one file's
/// contents), so that any server speaking just those, such as a loopback fake, can stand in for GitHub.
/// </summary>
public sealed partial class GitHubClient(HttpClient http, ILogger<GitHubClient> logger)
{
    /// <summary>Files larger than this are not worth reading for analysis (the contents API stops at 1 MB anyway).</summary>
    public const long MaxFileBytes = 512 * 1024;

    public async Task<GitHubRepository> GetRepositoryAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"repos/{Escape(owner)}/{Escape(repository)}", $"{owner}/{repository}", cancellationToken)
            ?? throw new GitHubApiException(GitHubFailure.NotFound, $"The repository {owner}/{repository} was not found on GitHub (or it is private).");
        var root = document.RootElement;
        return new GitHubRepository(
            FullName: GetString(root, "full_name") ?? $"{owner}/{repository}",
            Description: GetString(root, "description"),
            DefaultBranch: GetString(root, "default_branch") ?? "main",
            HtmlUrl: GetString(root, "html_url"));
    }

    /// <summary>The blobs at <paramref name="gitRef"/>; null when the ref does not exist.</summary>
    public async Task<GitHubTree?> GetTreeAsync(string owner, string repository, string gitRef, CancellationToken cancellationToken)
    {
        var path = $"repos/{Escape(owner)}/{Escape(repository)}/git/trees/{EscapePath(gitRef)}?recursive=1";
        using var document = await GetJsonAsync(path, $"{owner}/{repository}@{gitRef}", cancellationToken);
        if (document is null)
        {
            return null;
        }

        var files = new List<GitHubTreeEntry>();
        if (document.RootElement.TryGetProperty("tree", out var tree) && tree.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in tree.EnumerateArray())
            {
                if (GetString(entry, "type") == "blob" && GetString(entry, "path") is { } entryPath)
                {
                    long? size = entry.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : null;
                    files.Add(new GitHubTreeEntry(entryPath, size));
                }
            }
        }

        var truncated = document.RootElement.TryGetProperty("truncated", out var t) && t.ValueKind == JsonValueKind.True;
        return new GitHubTree(files, truncated);
    }

    /// <summary>A text file's contents; null when it does not exist, is too large, or is not text.</summary>
    public async Task<string?> GetFileTextAsync(string owner, string repository, string path, string gitRef, CancellationToken cancellationToken)
    {
        var url = $"repos/{Escape(owner)}/{Escape(repository)}/contents/{EscapePath(path)}?ref={Uri.EscapeDataString(gitRef)}";
        using var document = await GetJsonAsync(url, $"{owner}/{repository}/{path}", cancellationToken);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var root = document.RootElement;
        if (GetString(root, "type") is { } type && type != "file")
        {
            return null;
        }

        if (GetString(root, "encoding") != "base64" || GetString(root, "content") is not { } content)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(content.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
            if (bytes.Length > MaxFileBytes || Array.IndexOf(bytes, (byte)0) >= 0)
            {
                return null;
            }

            return new UTF8Encoding(false, false).GetString(bytes);
        }
        catch (FormatException)
        {
            LogUndecodableFile(logger, path);
            return null;
        }
    }

    /// <summary>GET and parse JSON; null on 404; anything else that is not a success becomes a <see cref="GitHubApiException"/>.</summary>
    private async Task<JsonDocument?> GetJsonAsync(string relativeUrl, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(relativeUrl, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception ex) when (UpstreamFailure.IsTransport(ex, cancellationToken))
        {
            LogUnreachable(logger, http.BaseAddress, ex.Message);
            throw new GitHubApiException(GitHubFailure.Unreachable, $"GitHub could not be reached ({http.BaseAddress}): {ex.Message} Try again in a minute.", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (IsRateLimited(response, body))
            {
                var reset = RateLimitReset(response);
                LogRateLimited(logger, what, reset);
                throw new GitHubApiException(GitHubFailure.RateLimited,
                    $"GitHub's API rate limit is used up{(reset is null ? "" : $" until {reset:HH:mm} UTC")}. " +
                    "Try again later, or set GITHUB_TOKEN to raise the limit.");
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new GitHubApiException(GitHubFailure.Unauthorized, "GitHub rejected the configured GITHUB_TOKEN (401). Replace it with a valid token or unset it.");
            }

            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                LogUnexpectedStatus(logger, what, (int)response.StatusCode);
                throw new GitHubApiException(GitHubFailure.Unreachable, $"GitHub answered {(int)response.StatusCode} {response.ReasonPhrase} while reading {what}. Try again in a minute.");
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new GitHubApiException(GitHubFailure.Unreachable, $"GitHub sent a response that is not JSON while reading {what}.", ex);
            }
        }
    }

    private static bool IsRateLimited(HttpResponseMessage response, string body)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return false;
        }

        return (response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0")
            || body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
    }

    private static DateTimeOffset? RateLimitReset(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ratelimit-reset", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub could not be reached at {BaseAddress}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Uri? baseAddress, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub rate limit reached while reading {What}; resets at {Reset}")]
    private static partial void LogRateLimited(ILogger logger, string what, DateTimeOffset? reset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub answered {Status} while reading {What}")]
    private static partial void LogUnexpectedStatus(ILogger logger, string what, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "GitHub sent undecodable base64 for {Path}")]
    private static partial void LogUndecodableFile(ILogger logger, string path);
}
