using OpenIddict.EntityFrameworkCore.Models;

namespace Catwalk.Core.OAuth;

/// <summary>An MCP client registered through dynamic client registration (OpenIddict's application row).</summary>
public sealed class OAuthApplication : OpenIddictEntityFrameworkCoreApplication<string, OAuthAuthorization, OAuthToken>
{
    public OAuthApplication() => Id = Guid.NewGuid().ToString();
}

/// <summary>
/// One approval: a user let a client reach one deployment. Catwalk adds the deployment (its deletion removes the row,
/// and with it the tokens) and when the client last called the endpoint.
/// </summary>
public sealed class OAuthAuthorization : OpenIddictEntityFrameworkCoreAuthorization<string, OAuthApplication, OAuthToken>
{
    public OAuthAuthorization() => Id = Guid.NewGuid().ToString();

    public Guid? DeploymentId { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>OpenIddict's scope row (the scopes are registered in code; the table stays empty).</summary>
public sealed class OAuthScope : OpenIddictEntityFrameworkCoreScope<string>
{
    public OAuthScope() => Id = Guid.NewGuid().ToString();
}

/// <summary>OpenIddict's token row: authorization codes and refresh tokens (single use, rotating), access tokens' ids.</summary>
public sealed class OAuthToken : OpenIddictEntityFrameworkCoreToken<string, OAuthApplication, OAuthAuthorization>
{
    public OAuthToken() => Id = Guid.NewGuid().ToString();
}

/// <summary>The authorization server's RSA key (it signs the key set OpenIddict publishes), Fernet-encrypted under ENCRYPTION_KEY.</summary>
public sealed class OAuthServerKey
{
    public int Id { get; set; }

    /// <summary>"signing" or "encryption".</summary>
    public required string Purpose { get; set; }

    /// <summary>The PKCS#8 private key, as a Fernet token.</summary>
    public required string ProtectedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
