using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catwalk.Core.Accounts;
using Catwalk.Tests.Accounts;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Benchmarks;

/// <summary>
/// Gets an OAuth access token for a deployment the way a client does, without a browser: the owner signs in with a
/// password, the client registers, and the consent form is posted with its antiforgery token; then the code is redeemed.
/// </summary>
internal static class BenchmarkOAuthClient
{
    private const string Password = "benchmark oauth passphrase";
    private const string RedirectUri = "http://127.0.0.1:48124/callback";

    public static async Task<string> AccessTokenAsync(CatwalkAppFactory app, Guid deploymentId, string ownerId, Uri endpoint, CancellationToken cancellationToken)
    {
        var email = $"benchmark-{Guid.NewGuid():N}@example.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
            var created = await users.CreateAsync(new CatwalkUser { Id = ownerId, UserName = email, Email = email, EmailConfirmed = true }, Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("Could not create the deployment's owner: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }
        }

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var login = await http.GetStringAsync("account/login", cancellationToken);
        using (var signedIn = await http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery(login), ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = Password,
        }), cancellationToken))
        {
            Expect(signedIn, HttpStatusCode.Redirect, "sign-in");
        }

        using var registered = await http.PostAsJsonAsync("oauth/register", new { redirect_uris = new[] { RedirectUri }, client_name = "benchmark" }, cancellationToken);
        var clientId = (await registered.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("client_id").GetString()!;
        var verifier = "verifier-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var request = new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = RedirectUri, ["scope"] = "mcp offline_access",
            ["code_challenge"] = Base64UrlTextEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256", ["state"] = "benchmark", ["resource"] = endpoint.AbsoluteUri,
        };
        var consent = await http.GetStringAsync(QueryHelpers.AddQueryString("oauth/consent", request!), cancellationToken);
        using var decided = await http.PostAsync("oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>(request)
        {
            ["__RequestVerificationToken"] = Antiforgery(consent), ["decision"] = "approve",
        }), cancellationToken);
        Expect(decided, HttpStatusCode.Redirect, "approval");
        var code = QueryHelpers.ParseQuery(decided.Headers.Location!.Query)["code"].ToString();

        using var redeemed = await http.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["client_id"] = clientId,
            ["code_verifier"] = verifier, ["resource"] = endpoint.AbsoluteUri,
        }), cancellationToken);
        Expect(redeemed, HttpStatusCode.OK, "token");
        return (await redeemed.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
    }

    private static string Antiforgery(string html) =>
        WebSession.HiddenValue(html, "__RequestVerificationToken") ?? throw new InvalidOperationException("The page has no antiforgery token.");

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string step)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"OAuth {step} answered {(int)response.StatusCode}, not {(int)status}.");
        }
    }
}
