using System.Text.Json.Serialization;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>
/// Protected resource metadata (RFC 9728) for each MCP endpoint, at the path-suffixed well-known address the endpoint's
/// 401 names: the endpoint URL as <c>resource</c> and Catwalk as its authorization server.
/// </summary>
internal static class ResourceMetadataEndpoint
{
    public static IEndpointRouteBuilder MapResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OAuthPaths.ResourceMetadata, GetAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string deploymentId, HttpContext context, OAuthIssuer issuer, IDbContextFactory<CatwalkDbContext> contexts)
    {
        if (!Guid.TryParse(deploymentId, out var id))
        {
            return TypedResults.NotFound();
        }

        await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
        var name = await db.Deployments.Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(context.RequestAborted);
        if (name is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new ProtectedResourceMetadata(
            issuer.ResourceOf(context.Request, id), [issuer.Issuer(context.Request)], [OAuthPaths.McpScope, Scopes.OfflineAccess], ["header"],
            $"{name} (Catwalk)"));
    }
}

internal sealed record ProtectedResourceMetadata(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("authorization_servers")] string[] AuthorizationServers,
    [property: JsonPropertyName("scopes_supported")] string[] ScopesSupported,
    [property: JsonPropertyName("bearer_methods_supported")] string[] BearerMethodsSupported,
    [property: JsonPropertyName("resource_name")] string ResourceName);
