using Catwalk.Core.OAuth;
using Catwalk.Core.Persistence;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>
/// Catwalk as the OAuth 2.1 authorization server of its MCP endpoints (OpenIddict): authorization code with PKCE S256
/// only, rotating refresh tokens, revocation, metadata (RFC 8414 and OpenID discovery), dynamic client registration,
/// protected resource metadata per endpoint, and the consent for one deployment per approval.
/// </summary>
internal static class OAuthServerExtensions
{
    /// <summary>Short, so a token that leaks is worth little; refresh tokens (rotating) keep clients connected.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(2);

    public static WebApplicationBuilder AddCatwalkOAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var publicUrl = Uri.TryCreate(builder.Configuration["PUBLIC_URL"], UriKind.Absolute, out var configured) ? configured : null;
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore()
                .UseDbContext<CatwalkDbContext>()
                .ReplaceDefaultEntities<OAuthApplication, OAuthAuthorization, OAuthScope, OAuthToken, string>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(OAuthPaths.Authorize.TrimStart('/'))
                    .SetTokenEndpointUris(OAuthPaths.Token.TrimStart('/'))
                    .SetRevocationEndpointUris(OAuthPaths.Revoke.TrimStart('/'))
                    .SetConfigurationEndpointUris(OAuthPaths.ServerMetadata.TrimStart('/'), OAuthPaths.OpenIdConfiguration.TrimStart('/'))
                    .SetJsonWebKeySetEndpointUris(OAuthPaths.KeySet.TrimStart('/'));
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(OAuthPaths.McpScope, Scopes.OfflineAccess);
                // Every deployment is a resource: the authorize endpoint checks the one named, against the deployments.
                server.DisableResourceValidation().IgnoreResourcePermissions();
                server.SetAccessTokenLifetime(AccessTokenLifetime)
                    .SetRefreshTokenLifetime(RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(AuthorizationCodeLifetime);
                if (publicUrl is not null)
                {
                    server.SetIssuer(new Uri(publicUrl.AbsoluteUri.TrimEnd('/') + "/"));
                }

                // Tokens in the data protection format: their keys are the app's key ring (in the database, encrypted under ENCRYPTION_KEY, rotated).
                server.UseDataProtection();
                // TLS ends at Fly's proxy (or this is loopback): the app itself sees http.
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
                server.Configure(options =>
                {
                    options.CodeChallengeMethods.Clear();
                    options.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                    options.ClientAuthenticationMethods.Clear();
                    options.ClientAuthenticationMethods.Add(ClientAuthenticationMethods.None);
                });
                server.AddEventHandler(ClientRevocationHandler.Descriptor);
                // The registration endpoint OpenIddict itself lacks.
                server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
                {
                    context.Metadata["registration_endpoint"] = new Uri(context.Issuer ?? context.BaseUri!, OAuthPaths.Register.TrimStart('/')).AbsoluteUri;
                    return default;
                }).SetOrder(int.MaxValue - 100_000));
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseDataProtection();
                validation.UseAspNetCore();
            });
        services.AddSingleton<OAuthServerKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<OAuthServerKeys>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<OAuthServerKeys>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>>(sp => sp.GetRequiredService<OAuthServerKeys>());
        // OpenIddict logs whole requests at Information (antiforgery tokens, codes' challenges): warnings and errors only.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        services.AddSingleton<OAuthIssuer>();
        services.AddSingleton<OAuthAccessTokens>();
        services.AddScoped<OAuthConnections>();
        services.AddSingleton<OAuthRecordPruning>();
        services.AddHostedService(sp => sp.GetRequiredService<OAuthRecordPruning>());
        return builder;
    }

    public static WebApplication MapCatwalkOAuth(this WebApplication app)
    {
        app.MapOAuthAuthorization();
        app.MapClientRegistration();
        app.MapResourceMetadata();
        return app;
    }
}
