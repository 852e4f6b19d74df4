namespace Catwalk.Web.OAuth;

/// <summary>The authorization server's addresses and the one scope MCP clients are given.</summary>
public static class OAuthPaths
{
    public const string Authorize = "/oauth/authorize";
    public const string Consent = "/oauth/consent";
    public const string Token = "/oauth/token";
    public const string Revoke = "/oauth/revoke";
    public const string Register = "/oauth/register";
    public const string KeySet = "/.well-known/jwks";
    public const string ServerMetadata = "/.well-known/oauth-authorization-server";
    public const string OpenIdConfiguration = "/.well-known/openid-configuration";

    /// <summary>RFC 9728's path-suffixed form: the well-known segment, then the endpoint's own path.</summary>
    public const string ResourceMetadata = "/.well-known/oauth-protected-resource/api/mcp/{deploymentId}";

    /// <summary>Calling the deployment's MCP endpoint (the only thing a token grants).</summary>
    public const string McpScope = "mcp";

    /// <summary>The private claim naming the one deployment a token opens.</summary>
    public const string DeploymentClaim = "catwalk_deployment";

    public static string ResourceMetadataFor(Guid deploymentId) =>
        ResourceMetadata.Replace("{deploymentId}", deploymentId.ToString(), StringComparison.Ordinal);
}
