using Catwalk.Web.Security;
using Microsoft.AspNetCore.Authentication;

namespace Catwalk.Web.Api;

/// <summary>The JSON API under <c>/api</c> (personal-token bearer auth, problem details, rate limits, OpenAPI) and the
/// app-wide security headers.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddCatwalkApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Tokens, OpenRouter keys and the audit log (idempotent: the accounts feature registers them too).
        Core.Accounts.AccountsServiceCollectionExtensions.AddCatwalkAccounts(builder);
        services.AddProblemDetails();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PersonalApiTokenHandler>(PersonalApiTokenDefaults.Scheme, displayName: "Personal API token", _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(PersonalApiTokenDefaults.UserPolicy, policy => policy
                .AddAuthenticationSchemes(PersonalApiTokenDefaults.Scheme)
                .RequireAuthenticatedUser())
            .AddPolicy(PersonalApiTokenDefaults.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(PersonalApiTokenDefaults.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Core.Accounts.Viewer.AdminRole));
        services.AddSingleton<AdminRoleLookup>();
        services.AddCatwalkRateLimits();
        services.AddOpenApi(options =>
        {
            // The document describes the JSON API only, not the account pages' form endpoints.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer<ApiOpenApiDocument>();
        });
        services.AddTransient<IStartupFilter, SecurityHeadersStartupFilter>();
        services.AddSingleton<DeploymentEndpointUrls>();
        services.AddSingleton<ApiBackgroundOperations>();
        services.AddScoped<ApiDeploymentActions>();
        return builder;
    }

    /// <summary>
    /// Problem answers for <c>/api</c> and rate limits (middleware, so call this before the endpoints run), then the endpoints.
    /// <c>/api/mcp/{id}</c> keeps its own per-deployment token check: none of this group's policies apply to it.
    /// </summary>
    public static WebApplication MapCatwalkApi(this WebApplication app)
    {
        app.UseWhen(context => IsJsonApi(context.Request.Path), api => api.UseMiddleware<ApiErrorResponses>());
        app.UseRateLimiter();

        app.MapOpenApi().AllowAnonymous();
        var api = app.MapGroup("/api").RequireAuthorization(PersonalApiTokenDefaults.UserPolicy).DisableAntiforgery();
        api.MapAnalyzeEndpoint();
        api.MapDeploymentEndpoints();
        var admin = api.MapGroup("/admin").RequireAuthorization(PersonalApiTokenDefaults.AdminPolicy);
        admin.MapAdminMachineEndpoints();
        admin.MapAdminUserEndpoints();
        return app;
    }

    /// <summary>The JSON API's paths: <c>/api/...</c> except the MCP forwarding route, which answers JSON-RPC errors.</summary>
    internal static bool IsJsonApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/api/mcp", StringComparison.OrdinalIgnoreCase);
}
