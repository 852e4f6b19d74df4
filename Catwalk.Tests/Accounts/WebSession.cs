using System.Net;
using System.Text.RegularExpressions;

namespace Catwalk.Tests.Accounts;

/// <summary>
/// A browser without a browser: an HttpClient with its own cookie jar that does not follow redirects, and reads
/// the antiforgery token out of a page before posting its form, the way a browser would submit it.
/// </summary>
internal sealed partial class WebSession : IDisposable
{
    private readonly HttpClientHandler _handler;

    public WebSession(Uri baseAddress)
    {
        _handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public bool HasAuthCookie => Cookies.GetCookies(Http.BaseAddress!).Any(c => c.Name == "catwalk.auth");

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path, Ct);

    public Task<string> GetStringAsync(string path) => Http.GetStringAsync(path, Ct);

    /// <summary>GETs <paramref name="pagePath"/>, then posts <paramref name="fields"/> to <paramref name="postPath"/>
    /// (the page itself by default) with the page's antiforgery token and, for a Blazor form, its handler name.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pagePath, string? formName, IReadOnlyDictionary<string, string> fields, string? postPath = null)
    {
        var page = await Http.GetStringAsync(pagePath, Ct);
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = HiddenValue(page, "__RequestVerificationToken")
                                             ?? throw new InvalidOperationException($"{pagePath} has no antiforgery token."),
        };
        if (formName is not null)
        {
            form["_handler"] = formName;
        }

        using var content = new FormUrlEncodedContent(form);
        return await Http.PostAsync(postPath ?? pagePath, content, Ct);
    }

    public Task<HttpResponseMessage> RegisterAsync(string email, string password, string returnUrl = "/") =>
        SubmitAsync($"/account/register?returnUrl={Uri.EscapeDataString(returnUrl)}", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/") =>
        SubmitAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    /// <summary>Posts the app bar's sign-out form, as found on the home page.</summary>
    public Task<HttpResponseMessage> SignOutAsync() =>
        SubmitAsync("/", formName: null, new Dictionary<string, string>(), postPath: "/account/logout");

    /// <summary>Follows redirects (to any host, as a browser would) up to a limit; returns the last answer and every URL visited.</summary>
    public async Task<(HttpResponseMessage Final, List<Uri> Visited)> FollowAsync(HttpResponseMessage response, int maxHops = 10)
    {
        var visited = new List<Uri>();
        var current = response;
        var from = response.RequestMessage!.RequestUri!;
        for (var hop = 0; hop < maxHops && (int)current.StatusCode is >= 300 and < 400; hop++)
        {
            var next = new Uri(from, current.Headers.Location!);
            visited.Add(next);
            current.Dispose();
            current = await Http.GetAsync(next, Ct);
            from = next;
        }

        return (current, visited);
    }

    /// <summary>Where a redirect leads, as a path and query on this app; fails for a redirect to another site.</summary>
    public string RedirectTarget(HttpResponseMessage response)
    {
        response.StatusCode.Should().BeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Found, HttpStatusCode.SeeOther);
        var location = new Uri(Http.BaseAddress!, response.Headers.Location!);
        location.GetLeftPart(UriPartial.Authority).Should().Be(Http.BaseAddress!.GetLeftPart(UriPartial.Authority), "redirects stay on this site");
        return location.PathAndQuery;
    }

    public static string? HiddenValue(string html, string name)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            if (input.Value.Contains($"name=\"{name}\"", StringComparison.Ordinal) && ValueAttribute().Match(input.Value) is { Success: true } value)
            {
                return WebUtility.HtmlDecode(value.Groups[1].Value);
            }
        }

        return null;
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("\\bvalue=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
