using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Catwalk.Tests.Fixtures;
using Catwalk.Web.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using static Catwalk.Tests.OAuth.OAuthClientSteps;
using static Microsoft.Playwright.Assertions;

namespace Catwalk.Tests.OAuth;

/// <summary>
/// The whole MCP authorization flow against the real app: the official MCP C# SDK client, given only the endpoint URL,
/// meets the 401, reads the metadata, registers, sends the user to sign in and approve in Chromium, gets a token and
/// lists tools; then the token's limits (another deployment, another user, the client's own revocation) and refresh.
/// </summary>
public sealed class McpOAuthFlowTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_sdk_client_given_only_the_endpoint_url_signs_in_approves_and_lists_tools_and_is_refused_right_after_revoking_its_token()
    {
        SetDefaultExpectTimeout(60_000);
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var deploymentId = await host.DeployEverythingAsync("everything-oauth");
        var endpoint = host.EndpointOf(deploymentId);
        using var http = new HttpClient();

        // Discovery, as a client meets it: the 401 names the resource metadata, which names Catwalk as the issuer.
        using var unauthorized = await http.PostAsync(endpoint, JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "ping" }), TestContext.Current.CancellationToken);
        unauthorized.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = unauthorized.Headers.WwwAuthenticate.Single().ToString();
        challenge.Should().Contain($"resource_metadata=\"{new Uri(host.App.BaseAddress, OAuthPaths.ResourceMetadataFor(deploymentId).TrimStart('/'))}\"");
        var resourceMetadata = await http.GetFromJsonAsync<JsonElement>(new Uri(host.App.BaseAddress, OAuthPaths.ResourceMetadataFor(deploymentId).TrimStart('/')), TestContext.Current.CancellationToken);
        resourceMetadata.GetProperty("resource").GetString().Should().Be(endpoint.AbsoluteUri);
        var issuer = resourceMetadata.GetProperty("authorization_servers")[0].GetString()!;
        issuer.Should().Be(host.App.BaseAddress.AbsoluteUri);
        var serverMetadata = await http.GetFromJsonAsync<JsonElement>(new Uri(new Uri(issuer), ".well-known/oauth-authorization-server"), TestContext.Current.CancellationToken);
        serverMetadata.GetProperty("issuer").GetString().Should().Be(issuer);
        serverMetadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).Should().Equal("S256");
        serverMetadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()).Should().Equal("none");
        serverMetadata.GetProperty("registration_endpoint").GetString().Should().Be(new Uri(new Uri(issuer), "oauth/register").AbsoluteUri);
        (await http.GetAsync(new Uri(new Uri(issuer), ".well-known/openid-configuration"), TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The SDK does the rest: registration, authorization (Chromium signs in and approves), token, then MCP.
        var tokens = new RecordingTokenCache();
        string? consentText = null;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(OAuthTestHost.RedirectUri),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "SDK test client" },
                TokenCache = tokens,
                AuthorizationCallbackHandler = async (context, cancellationToken) =>
                {
                    var page = await host.SignInAtAsync(context.AuthorizationUri, OAuthTestHost.OwnerEmail);
                    await Expect(page.Locator("[data-testid=consent-client]")).ToHaveTextAsync("SDK test client");
                    await Expect(page.Locator("[data-testid=consent-deployment]")).ToHaveTextAsync("everything-oauth");
                    await Expect(page.Locator("[data-testid=consent-redirect-host]")).ToHaveTextAsync("127.0.0.1:48123");
                    consentText = await page.InnerTextAsync("body");
                    var callback = await OAuthTestHost.DecideAsync(page, "consent-approve");
                    var query = QueryHelpers.ParseQuery(callback.Query);
                    return new AuthorizationResult { Code = query["code"].ToString(), State = query["state"].ToString(), Iss = query.TryGetValue("iss", out var iss) ? iss.ToString() : null };
                },
            },
        }, NullLoggerFactory.Instance);
        await using (var client = await McpClient.CreateAsync(transport, loggerFactory: NullLoggerFactory.Instance, cancellationToken: TestContext.Current.CancellationToken))
        {
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            tools.Select(t => t.Name).Should().Contain("echo");
        }

        consentText.Should().Contain("everything-oauth");
        var issued = tokens.Tokens!;
        issued.AccessToken.Should().NotBeNullOrEmpty();
        issued.RefreshToken.Should().NotBeNullOrEmpty();

        // The token opens this deployment only.
        var other = await host.AddStoppedDeploymentAsync("someone-else");
        (await PingAsync(http, host.EndpointOf(other), issued.AccessToken)).Should().Be(HttpStatusCode.Unauthorized);
        (await PingAsync(http, endpoint, issued.AccessToken)).Should().Be(HttpStatusCode.OK);

        // Refresh rotates: a new access token and a new refresh token, and the new access token works.
        var refreshed = await TokenAsync(http, host, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = issued.RefreshToken!,
            ["client_id"] = issued.ClientId!,
            ["resource"] = endpoint.AbsoluteUri,
        });
        refreshed.Status.Should().Be(HttpStatusCode.OK, refreshed.Body.ToString());
        var access = refreshed.Body.GetProperty("access_token").GetString()!;
        var refresh = refreshed.Body.GetProperty("refresh_token").GetString()!;
        refresh.Should().NotBe(issued.RefreshToken);
        (await PingAsync(http, endpoint, access)).Should().Be(HttpStatusCode.OK);

        // The client revokes its refresh token (RFC 7009, as on sign-out): the approval goes with it, so the access token
        // issued with it is refused on the very next request (the forwarder had just cached the approval as standing).
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var listed = await scope.ServiceProvider.GetRequiredService<OAuthConnections>().ListAsync(deploymentId, TestContext.Current.CancellationToken);
            listed.Should().ContainSingle().Which.ClientName.Should().Be("SDK test client");
            listed[0].LastUsedAt.Should().NotBeNull();
        }

        (await RevokeAsync(http, host, issued.ClientId!, refresh, "refresh_token")).Should().Be(HttpStatusCode.OK);
        (await PingAsync(http, endpoint, access)).Should().Be(HttpStatusCode.Unauthorized);
        var afterRevocation = await TokenAsync(http, host, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["client_id"] = issued.ClientId!,
        });
        afterRevocation.Body.GetProperty("error").GetString().Should().Be("invalid_grant");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<OAuthConnections>().ListAsync(deploymentId, TestContext.Current.CancellationToken))
                .Should().BeEmpty("a client that revoked its token is no longer connected");
        }
    }

    [Fact]
    public async Task Another_user_cannot_approve_and_codes_need_their_pkce_verifier_and_work_once()
    {
        SetDefaultExpectTimeout(60_000);
        await using var host = await OAuthTestHost.StartAsync(postgres);
        var deploymentId = await host.AddStoppedDeploymentAsync("owned-by-owner");
        var resource = host.EndpointOf(deploymentId).AbsoluteUri;
        using var http = new HttpClient();
        var clientId = await RegisterAsync(http, host);
        var verifier = NewVerifier();

        // Another user sees who owns it, gets no Approve button, and a forged approval is answered access_denied.
        var page = await host.SignInAtAsync(AuthorizeUri(host, clientId, verifier, resource, "state-other"), OAuthTestHost.OtherEmail);
        await Expect(page.Locator("[data-testid=consent-not-owner]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=consent-approve]")).ToHaveCountAsync(0);
        var refused = QueryHelpers.ParseQuery((await OAuthTestHost.DecideAsync(page, null, AuthorizationEndpoints.Approve)).Query);
        refused["error"].ToString().Should().Be("access_denied");
        refused["state"].ToString().Should().Be("state-other");
        refused.Should().NotContainKey("code");

        // The owner approves; the code needs its verifier, and works once.
        page = await host.SignInAtAsync(AuthorizeUri(host, clientId, verifier, resource, "state-owner"), OAuthTestHost.OwnerEmail);
        var approved = QueryHelpers.ParseQuery((await OAuthTestHost.DecideAsync(page, "consent-approve")).Query);
        approved["state"].ToString().Should().Be("state-owner");
        var code = approved["code"].ToString();
        Dictionary<string, string> Exchange(string codeVerifier) => new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = OAuthTestHost.RedirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = codeVerifier,
            ["resource"] = resource,
        };
        (await TokenAsync(http, host, Exchange("wrong-" + verifier))).Body.GetProperty("error").GetString().Should().Be("invalid_grant");
        var redeemed = await TokenAsync(http, host, Exchange(verifier));
        redeemed.Status.Should().Be(HttpStatusCode.OK, redeemed.Body.ToString());
        redeemed.Body.GetProperty("access_token").GetString().Should().NotBeNullOrEmpty();
        // Single use: the same code again is refused.
        (await TokenAsync(http, host, Exchange(verifier))).Body.GetProperty("error").GetString().Should().Be("invalid_grant");

        // Unknown (or deleted) clients get invalid_client, which makes claude.ai register again.
        var unknown = await TokenAsync(http, host, new() { ["grant_type"] = "authorization_code", ["code"] = "x", ["client_id"] = Guid.NewGuid().ToString(), ["code_verifier"] = verifier, ["redirect_uri"] = OAuthTestHost.RedirectUri });
        unknown.Body.GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task Registration_takes_public_clients_with_https_or_loopback_redirects_only()
    {
        await using var host = await OAuthTestHost.StartAsync(postgres);
        using var http = new HttpClient();
        var register = new Uri(host.App.BaseAddress, "oauth/register");

        async Task<(HttpStatusCode Status, JsonElement Body)> RegisterWith(object body)
        {
            using var response = await http.PostAsJsonAsync(register, body, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
        }

        var https = await RegisterWith(new { redirect_uris = new[] { "https://claude.ai/api/mcp/auth_callback" }, client_name = "claude.ai" });
        https.Status.Should().Be(HttpStatusCode.Created);
        https.Body.GetProperty("token_endpoint_auth_method").GetString().Should().Be("none");
        (await RegisterWith(new { redirect_uris = new[] { "http://[::1]:9000/cb" } })).Status.Should().Be(HttpStatusCode.Created);

        var plainHttp = await RegisterWith(new { redirect_uris = new[] { "http://evil.example/cb" } });
        plainHttp.Status.Should().Be(HttpStatusCode.BadRequest);
        plainHttp.Body.GetProperty("error").GetString().Should().Be("invalid_redirect_uri");
        var askedForSecret = await RegisterWith(new { redirect_uris = new[] { "https://claude.ai/cb" }, token_endpoint_auth_method = "client_secret_basic" });
        askedForSecret.Body.GetProperty("token_endpoint_auth_method").GetString().Should().Be("none");
        askedForSecret.Body.TryGetProperty("client_secret", out _).Should().BeFalse();
        (await RegisterWith(new { redirect_uris = new[] { "https://claude.ai/cb" }, grant_types = new[] { "client_credentials" } }))
            .Body.GetProperty("error").GetString().Should().Be("invalid_client_metadata");
        (await RegisterWith(new { client_name = "no redirects" })).Body.GetProperty("error").GetString().Should().Be("invalid_redirect_uri");
    }
}
