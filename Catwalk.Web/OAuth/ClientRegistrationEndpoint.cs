using System.Text.Json.Serialization;
using Catwalk.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>
/// Dynamic client registration (RFC 7591) for public clients only: no secret, authorization code + PKCE, refresh
/// tokens. A client asking for a secret is registered as public all the same (RFC 7591 lets the server replace
/// metadata; the answer says 'none', as the server metadata does). OpenIddict has no registration endpoint, so this small part stores the client with OpenIddict's manager.
/// Anyone may register (claude.ai does before every first sign-in); the rate limit per address bounds the rows.
/// </summary>
internal static partial class ClientRegistrationEndpoint
{
    private const int MaxRedirectUris = 10;
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapClientRegistration(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OAuthPaths.Register, RegisterAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(ApiRateLimits.RegisterClientPolicy)
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, IOpenIddictApplicationManager applications, ILogger<ClientRegistrationRequest> logger)
    {
        ClientRegistrationRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<ClientRegistrationRequest>(context.RequestAborted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return Error("invalid_client_metadata", "The body must be a JSON object of client metadata (RFC 7591).");
        }

        if (request is null)
        {
            return Error("invalid_client_metadata", "The body must be a JSON object of client metadata (RFC 7591).");
        }

        var redirectUris = request.RedirectUris ?? [];
        if (redirectUris.Length is 0 or > MaxRedirectUris)
        {
            return Error("invalid_redirect_uri", $"Register between 1 and {MaxRedirectUris} redirect_uris.");
        }

        if (redirectUris.Select(RedirectUriRules.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            return Error("invalid_redirect_uri", problem);
        }

        if (request.GrantTypes?.Except([GrantTypes.AuthorizationCode, GrantTypes.RefreshToken]).Any() == true
            || request.ResponseTypes?.Except([ResponseTypes.Code]).Any() == true)
        {
            return Error("invalid_client_metadata", "Only the authorization_code and refresh_token grants (response type 'code') are offered.");
        }

        var name = string.IsNullOrWhiteSpace(request.ClientName) ? "MCP client" : request.ClientName.Trim();
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return Error("invalid_client_metadata", $"client_name must be at most {MaxNameLength} printable characters.");
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = Guid.NewGuid().ToString(),
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = name,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + OAuthPaths.McpScope,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        await applications.CreateAsync(descriptor, context.RequestAborted);
        LogRegistered(logger, descriptor.ClientId, name);
        return TypedResults.Json(new ClientRegistrationResponse(
            descriptor.ClientId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), name, redirectUris,
            ClientAuthenticationMethods.None, [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], [ResponseTypes.Code],
            $"{OAuthPaths.McpScope} {Scopes.OfflineAccess}"), statusCode: StatusCodes.Status201Created);
    }

    private static JsonHttpResult<RegistrationError> Error(string error, string description) =>
        TypedResults.Json(new RegistrationError(error, description), statusCode: StatusCodes.Status400BadRequest);

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth client {ClientId} registered ({ClientName})")]
    private static partial void LogRegistered(ILogger logger, string clientId, string clientName);
}

/// <summary>The RFC 7591 fields Catwalk reads; the rest are ignored.</summary>
internal sealed record ClientRegistrationRequest(
    [property: JsonPropertyName("redirect_uris")] string[]? RedirectUris,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
    [property: JsonPropertyName("grant_types")] string[]? GrantTypes,
    [property: JsonPropertyName("response_types")] string[]? ResponseTypes);

internal sealed record ClientRegistrationResponse(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_id_issued_at")] long ClientIdIssuedAt,
    [property: JsonPropertyName("client_name")] string ClientName,
    [property: JsonPropertyName("redirect_uris")] string[] RedirectUris,
    [property: JsonPropertyName("token_endpoint_auth_method")] string TokenEndpointAuthMethod,
    [property: JsonPropertyName("grant_types")] string[] GrantTypes,
    [property: JsonPropertyName("response_types")] string[] ResponseTypes,
    [property: JsonPropertyName("scope")] string Scope);

internal sealed record RegistrationError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
