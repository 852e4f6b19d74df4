using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Tests.Fakes.GitHub;

/// <summary>
/// A loopback fake of the three GitHub REST endpoints analysis uses, serving the folders under
/// <c>root/&lt;owner&gt;/&lt;repo&gt;/</c> (the corpus, or a temp folder a test writes) at the branch <see cref="DefaultBranch"/>:
/// <c>GET /repos/{owner}/{repo}</c>, <c>GET /repos/{owner}/{repo}/git/trees/{ref}?recursive=1</c>,
/// <c>GET /repos/{owner}/{repo}/contents/{path}?ref={ref}</c>. Answers follow GitHub's JSON shapes and error bodies.
/// </summary>
public sealed class FakeGitHubServer : IAsyncDisposable
{
    private readonly string _root;
    private KestrelLoopbackHost? _host;

    private FakeGitHubServer(string root) => _root = root;

    public Uri BaseAddress => _host!.BaseAddress;

    public string DefaultBranch { get; set; } = "main";

    /// <summary>Extra refs (branches or tags) that serve the same files.</summary>
    public HashSet<string> OtherRefs { get; } = new(StringComparer.Ordinal);

    /// <summary>Repository descriptions by "owner/repo".</summary>
    public Dictionary<string, string> Descriptions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, every request gets GitHub's rate-limit answer (403 with x-ratelimit-remaining: 0).</summary>
    public bool RateLimited { get; set; }

    /// <summary>When set, every request gets 503.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization header of the last request, if any.</summary>
    public string? LastAuthorization { get; private set; }

    public static async Task<FakeGitHubServer> StartAsync(string root)
    {
        var server = new FakeGitHubServer(root);
        server._host = await KestrelLoopbackHost.StartAsync(app => app.Run(server.HandleAsync));
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Requests.Enqueue(raw);
        LastAuthorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (Unavailable)
        {
            await Json(context, 503, new { message = "Service Unavailable" });
            return;
        }

        if (RateLimited)
        {
            context.Response.Headers["x-ratelimit-limit"] = "60";
            context.Response.Headers["x-ratelimit-remaining"] = "0";
            context.Response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Json(context, 403, new { message = "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)", documentation_url = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting" });
            return;
        }

        var pathAndQuery = raw.Split('?', 2);
        var segments = pathAndQuery[0].Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var query = QueryHelpers(pathAndQuery.Length > 1 ? pathAndQuery[1] : "");
        if (context.Request.Method != "GET" || segments.Length < 3 || segments[0] != "repos")
        {
            await NotFound(context);
            return;
        }

        var directory = RepositoryDirectory(segments[1], segments[2]);
        if (directory is null)
        {
            await NotFound(context);
            return;
        }

        var fullName = $"{Path.GetFileName(Path.GetDirectoryName(directory))}/{Path.GetFileName(directory)}";
        if (segments.Length == 3)
        {
            await Json(context, 200, new
            {
                id = Math.Abs(fullName.GetHashCode(StringComparison.Ordinal)),
                name = Path.GetFileName(directory),
                full_name = fullName,
                description = Descriptions.GetValueOrDefault(fullName),
                default_branch = DefaultBranch,
                html_url = $"https://github.com/{fullName}",
                @private = false,
            });
            return;
        }

        if (segments.Length >= 6 && segments[3] == "git" && segments[4] == "trees")
        {
            var gitRef = string.Join('/', segments[5..]);
            if (!IsKnownRef(gitRef))
            {
                await NotFound(context);
                return;
            }

            var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(f => (Path: Path.GetRelativePath(directory, f).Replace('\\', '/'), Size: new FileInfo(f).Length))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            var folders = files.SelectMany(f => Ancestors(f.Path)).Distinct().Order(StringComparer.Ordinal);
            var tree = folders.Select(d => (object)new { path = d, mode = "040000", type = "tree", sha = Sha(d) })
                .Concat(files.Select(f => (object)new { path = f.Path, mode = "100644", type = "blob", sha = Sha(f.Path), size = f.Size }))
                .ToList();
            await Json(context, 200, new { sha = Sha(gitRef), tree, truncated = false });
            return;
        }

        if (segments.Length >= 5 && segments[3] == "contents")
        {
            var relative = string.Join('/', segments[4..]);
            var gitRef = query.GetValueOrDefault("ref") ?? DefaultBranch;
            var file = Path.GetFullPath(Path.Combine(directory, relative));
            if (!IsKnownRef(gitRef) || !file.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                await NotFound(context);
                return;
            }

            var bytes = await File.ReadAllBytesAsync(file);
            // GitHub wraps base64 at 60 characters per line.
            var base64 = Convert.ToBase64String(bytes);
            var wrapped = string.Join('\n', Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - i * 60))));
            await Json(context, 200, new
            {
                type = "file",
                encoding = "base64",
                size = bytes.Length,
                name = Path.GetFileName(file),
                path = relative,
                content = wrapped + "\n",
                sha = Sha(relative),
            });
            return;
        }

        await NotFound(context);
    }

    private bool IsKnownRef(string gitRef) => gitRef == DefaultBranch || OtherRefs.Contains(gitRef);

    private string? RepositoryDirectory(string owner, string repo)
    {
        var ownerDirectory = Directory.Exists(_root)
            ? Directory.EnumerateDirectories(_root).FirstOrDefault(d => string.Equals(Path.GetFileName(d), owner, StringComparison.OrdinalIgnoreCase))
            : null;
        return ownerDirectory is null
            ? null
            : Directory.EnumerateDirectories(ownerDirectory).FirstOrDefault(d => string.Equals(Path.GetFileName(d), repo, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }

    private static Dictionary<string, string> QueryHelpers(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", StringComparer.Ordinal);

    // Git object ids are 40 hex digits; the first 40 of a SHA-256 look the part (they identify nothing here).
    private static string Sha(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];

    private static Task NotFound(HttpContext context) =>
        Json(context, 404, new { message = "Not Found", documentation_url = "https://docs.github.com/rest", status = "404" });

    private static async Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
