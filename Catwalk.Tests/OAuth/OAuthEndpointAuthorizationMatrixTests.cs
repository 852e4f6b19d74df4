using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catwalk.Tests.Accounts;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.OAuth;

/// <summary>
/// The authorization server's endpoints for an anonymous caller and a signed-in user: what is public (metadata,
/// registration, the token endpoint's own client checks), what sends to sign-in (authorize, consent) and what a
/// forged consent POST gets.
/// </summary>
public sealed class OAuthEndpointAuthorizationMatrixTests(PostgresServer postgres)
{
    [Fact]
    public async Task Metadata_is_public_authorize_and_consent_need_sign_in_and_a_consent_post_without_antiforgery_is_refused()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var deploymentId = await host.AddStoppedDeploymentAsync("matrix-oauth");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.App.BaseAddress };
        var ct = TestContext.Current.CancellationToken;

        (await anonymous.GetAsync(".well-known/oauth-authorization-server", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync(".well-known/openid-configuration", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync(".well-known/jwks", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync($".well-known/oauth-protected-resource/api/mcp/{deploymentId}", ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync($".well-known/oauth-protected-resource/api/mcp/{Guid.NewGuid()}", ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var registered = await anonymous.PostAsJsonAsync("oauth/register", new { redirect_uris = new[] { OAuthTestHost.RedirectUri } }, ct);
        registered.StatusCode.Should().Be(HttpStatusCode.Created);
        var clientId = (await registered.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("client_id").GetString()!;
        var query = $"?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(OAuthTestHost.RedirectUri)}"
            + $"&code_challenge={new string('a', 43)}&code_challenge_method=S256&state=s&resource={Uri.EscapeDataString(host.EndpointOf(deploymentId).AbsoluteUri)}";

        // Anonymous: authorize and consent both send to sign-in, coming back to the same request.
        using var authorize = await anonymous.GetAsync("oauth/authorize" + query, ct);
        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect);
        authorize.Headers.Location!.OriginalString.Should().StartWith("/account/login?returnUrl=%2Foauth%2Fauthorize%3F");
        using var consent = await anonymous.GetAsync("oauth/consent" + query, ct);
        consent.StatusCode.Should().Be(HttpStatusCode.Redirect);
        consent.Headers.Location!.AbsolutePath.Should().Be("/account/login");

        // A plain-method challenge and a resource that is not one endpoint are refused before anyone signs in.
        using var plain = await anonymous.GetAsync("oauth/authorize" + query.Replace("S256", "plain", StringComparison.Ordinal), ct);
        Refusal(plain).Should().Be("invalid_request");
        using var elsewhere = await anonymous.GetAsync("oauth/authorize" + query.Replace(deploymentId.ToString(), "not-a-deployment", StringComparison.Ordinal), ct);
        Refusal(elsewhere).Should().Be("invalid_target");

        // The redirect URI must be exactly a registered one: another path, an added query or another port is refused here,
        // never redirected to; and without a code challenge (PKCE) the request is refused too.
        foreach (var other in new[] { OAuthTestHost.RedirectUri + "/x", OAuthTestHost.RedirectUri + "?next=elsewhere", OAuthTestHost.RedirectUri.Replace("48123", "48124", StringComparison.Ordinal) })
        {
            using var mismatch = await anonymous.GetAsync("oauth/authorize" + query.Replace(Uri.EscapeDataString(OAuthTestHost.RedirectUri), Uri.EscapeDataString(other), StringComparison.Ordinal), ct);
            mismatch.StatusCode.Should().Be(HttpStatusCode.BadRequest, other);
            mismatch.Headers.Location.Should().BeNull(other);
        }

        using var withoutPkce = await anonymous.GetAsync("oauth/authorize" + query.Replace($"&code_challenge={new string('a', 43)}&code_challenge_method=S256", "", StringComparison.Ordinal), ct);
        Refusal(withoutPkce).Should().Be("invalid_request");

        // Signed in, a consent POST without the page's antiforgery token approves nothing.
        using var owner = new WebSession(host.App.BaseAddress);
        (await owner.SignInAsync(OAuthTestHost.OwnerEmail, OAuthTestHost.Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()))
            .Append(new KeyValuePair<string, string>("decision", "approve"));
        using var forged = await owner.Http.PostAsync("oauth/authorize", new FormUrlEncodedContent(fields), ct);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync(ct)).Should().Contain("consent form expired");

        // The token endpoint judges clients itself: an unknown one is invalid_client.
        using var token = await anonymous.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = "x", ["client_id"] = "unknown",
        }), ct);
        (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    /// <summary>The OAuth error of a refused authorization request: redirected to the client, or (before the client is trusted) answered directly.</summary>
    private static string? Refusal(HttpResponseMessage response)
    {
        if (response.Headers.Location is { } location)
        {
            location.OriginalString.Should().StartWith(OAuthTestHost.RedirectUri, "a refusal never sends to sign-in");
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query)["error"].ToString();
        }

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return text.Contains("invalid_target", StringComparison.Ordinal) ? "invalid_target"
            : text.Contains("invalid_request", StringComparison.Ordinal) ? "invalid_request" : text;
    }
}
