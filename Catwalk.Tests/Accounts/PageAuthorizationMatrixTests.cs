using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Catwalk.Tests.Accounts;

/// <summary>
/// Every routable page of Catwalk.Web, found by reflection (so pages added later are covered without editing
/// this test), requested over real HTTP by an anonymous visitor, a signed-in user and an admin.
/// Pages are public only when listed in <see cref="PublicPages"/>; every other page must carry [Authorize].
/// </summary>
public sealed partial class PageAuthorizationMatrixTests(PostgresServer postgres)
{
    private const string AdminEmail = "matrix-admin@example.com";
    private const string Password = "matrix passphrase";

    /// <summary>The pages anyone may open. Adding to this list is a security decision.</summary>
    private static readonly HashSet<string> PublicPages = new(StringComparer.OrdinalIgnoreCase)
    {
        "/", "/not-found", "/Error",
        "/account/login", "/account/register", "/account/access-denied",
    };

    public static IReadOnlyList<(string Template, Type Page)> Routes() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, t)))
            .OrderBy(r => r.Template, StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Reflection_finds_the_account_and_settings_pages()
    {
        Routes().Select(r => r.Template).Should().Contain(["/", "/settings", "/account/login", "/account/password"]);
    }

    [Fact]
    public void Every_page_outside_the_public_list_requires_sign_in_and_public_pages_do_not()
    {
        foreach (var (template, page) in Routes())
        {
            var authorize = page.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any();
            var anonymous = page.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any();
            if (PublicPages.Contains(template))
            {
                authorize.Should().BeFalse($"{template} ({page.Name}) is public");
            }
            else
            {
                (authorize && !anonymous).Should().BeTrue($"{template} ({page.Name}) is not in the public list, so it needs [Authorize]");
            }
        }
    }

    [Fact]
    public async Task Anonymous_users_are_sent_to_sign_in_users_reach_their_pages_and_admin_pages_refuse_non_admins()
    {
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_ADMIN_EMAIL"] = AdminEmail;
        app.Settings["CATWALK_ADMIN_PASSWORD"] = Password;
        using var anonymous = new WebSession(app.BaseAddress);
        using var user = new WebSession(app.BaseAddress);
        using var admin = new WebSession(app.BaseAddress);
        (await user.RegisterAsync("matrix-user@example.com", Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await admin.SignInAsync(AdminEmail, Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var problems = new List<string>();
        foreach (var (template, page) in Routes())
        {
            var path = Concrete(template);
            var adminOnly = page.GetCustomAttributes<AuthorizeAttribute>(inherit: true)
                .Any(a => a.Roles?.Split(',').Select(r => r.Trim()).Contains(Viewer.AdminRole) == true);
            var isPublic = PublicPages.Contains(template);

            await Expect(problems, anonymous, "anonymous", path, isPublic ? Outcome.Reached : Outcome.SentToSignIn);
            await Expect(problems, user, "user", path, adminOnly ? Outcome.Refused : Outcome.Reached);
            await Expect(problems, admin, "admin", path, Outcome.Reached);
        }

        problems.Should().BeEmpty();
    }

    private enum Outcome
    {
        Reached,
        SentToSignIn,
        Refused,
    }

    private static async Task Expect(List<string> problems, WebSession session, string who, string path, Outcome expected)
    {
        using var response = await session.GetAsync(path);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location is { } l ? new Uri(session.Http.BaseAddress!, l).PathAndQuery : null;
        var actual = location switch
        {
            _ when status is 302 or 303 && location!.StartsWith("/account/login?returnUrl=" + Uri.EscapeDataString(path), StringComparison.Ordinal) => Outcome.SentToSignIn,
            _ when status is 302 or 303 && location!.StartsWith("/account/access-denied", StringComparison.Ordinal) => Outcome.Refused,
            // A page for one record (/deployments/{id}) answers 404 for a record that is not there or not theirs.
            _ when status is 200 or 404 => Outcome.Reached,
            _ => (Outcome?)null,
        };
        if (actual != expected)
        {
            problems.Add($"{who} GET {path}: expected {expected}, got {status}{(location is null ? "" : " -> " + location)}");
        }
    }

    /// <summary>A template with its parameters filled: a fresh GUID for guid constraints, 1 for numbers, "x" otherwise.</summary>
    private static string Concrete(string template) =>
        RouteParameter().Replace(template, m => m.Groups["constraint"].Value switch
        {
            var c when c.Contains("guid", StringComparison.OrdinalIgnoreCase) => Guid.NewGuid().ToString(),
            var c when c.Contains("int", StringComparison.OrdinalIgnoreCase) || c.Contains("long", StringComparison.OrdinalIgnoreCase) => "1",
            var c when c.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true",
            _ => "x",
        });

    [GeneratedRegex(@"\{\*?(?<name>[^}:?]+)(?::(?<constraint>[^}?]+))?\??\}")]
    private static partial Regex RouteParameter();
}
