using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Catwalk.Tests.OAuth;

/// <summary>The steps of an MCP client written against the specs (RFC 7591, 6749 + 7636, 7009), for tests that need tokens or their limits.</summary>
internal static class OAuthClientSteps
{
    /// <summary>Registers a client, has <paramref name="email"/> sign in and approve in Chromium, and redeems the code.</summary>
    public static async Task<ConnectedClient> ConnectAsync(HttpClient http, OAuthTestHost host, Guid deploymentId, string email, string clientName = "Spec client")
    {
        var clientId = await RegisterAsync(http, host, clientName);
        var verifier = NewVerifier();
        var resource = host.EndpointOf(deploymentId).AbsoluteUri;
        var page = await host.SignInAtAsync(AuthorizeUri(host, clientId, verifier, resource, "state"), email);
        var callback = QueryHelpers.ParseQuery((await OAuthTestHost.DecideAsync(page, "consent-approve")).Query);
        var redeemed = await TokenAsync(http, host, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = callback["code"].ToString(),
            ["redirect_uri"] = OAuthTestHost.RedirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
            ["resource"] = resource,
        });
        redeemed.Status.Should().Be(HttpStatusCode.OK, redeemed.Body.ToString());
        return new ConnectedClient(clientId, redeemed.Body.GetProperty("access_token").GetString()!, redeemed.Body.GetProperty("refresh_token").GetString()!, page);
    }

    public static string NewVerifier() => "verifier-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>An MCP <c>initialize</c> with the bearer token: 200 when the endpoint lets it through.</summary>
    public static async Task<HttpStatusCode> PingAsync(HttpClient http, Uri endpoint, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "probe", version = "1" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(HttpClient http, OAuthTestHost host, Dictionary<string, string> form) =>
        await PostFormAsync(http, new Uri(host.App.BaseAddress, "oauth/token"), form);

    /// <summary>RFC 7009: the client revokes one of its tokens.</summary>
    public static async Task<HttpStatusCode> RevokeAsync(HttpClient http, OAuthTestHost host, string clientId, string token, string hint)
    {
        using var response = await http.PostAsync(new Uri(host.App.BaseAddress, "oauth/revoke"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["token_type_hint"] = hint, ["client_id"] = clientId,
        }), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public static async Task<string> RegisterAsync(HttpClient http, OAuthTestHost host, string clientName = "Spec client")
    {
        using var response = await http.PostAsJsonAsync(new Uri(host.App.BaseAddress, "oauth/register"),
            new { redirect_uris = new[] { OAuthTestHost.RedirectUri }, client_name = clientName }, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("client_id").GetString()!;
    }

    public static Uri AuthorizeUri(OAuthTestHost host, string clientId, string verifier, string resource, string state)
    {
        var challenge = Base64UrlTextEncoder.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        return new Uri(QueryHelpers.AddQueryString(new Uri(host.App.BaseAddress, "oauth/authorize").AbsoluteUri, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = OAuthTestHost.RedirectUri,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
            ["scope"] = "mcp",
            ["resource"] = resource,
        }));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(HttpClient http, Uri uri, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(uri, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }
}

/// <summary>A client's tokens, and the browser page (signed in as the approving user) it was approved from.</summary>
internal sealed record ConnectedClient(string ClientId, string AccessToken, string RefreshToken, IPage Page);
