using Catwalk.Core.Persistence;
using Catwalk.Web.Components;
using Catwalk.Web.Components.Shared;
using MudBlazor.Services;

namespace Catwalk.Web.Hosting;

internal static class WebHostingExtensions
{
    /// <summary>Razor components over the interactive server circuit, with MudBlazor.</summary>
    public static IServiceCollection AddCatwalkUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddAuthorization();
        services.AddScoped<Accounts.CurrentViewer>();
        services.AddScoped<BrowserInterop>();
        services.AddScoped<EndpointUrls>();
        PublicAddress.Register(services);
        services.AddSingleton<McpConnectionTest>();
        services.AddScoped<Components.Deployments.DeploymentActions>();
        return services;
    }

    /// <summary>Development migrates on start; elsewhere the app refuses to run against a database behind the code.</summary>
    public static Task PrepareDatabaseAsync(this WebApplication app) =>
        app.Services.GetRequiredService<DatabaseMigrator>().PrepareAsync(app.Lifetime.ApplicationStopping);

    /// <summary>The local runtime runs on one host: a second instance on its database stops here, saying which holds it.</summary>
    public static Task ClaimLocalRuntimeAsync(this WebApplication app) =>
        app.Services.GetRequiredService<Core.Cluster.LocalRuntimeHostLock>().ClaimAsync(app.Lifetime.ApplicationStopping);

    public static WebApplication UseCatwalkPipeline(this WebApplication app)
    {
        // First: a circuit request for another Fly instance is sent there before anything else runs.
        app.UseMiddleware<FlyCircuitAffinity>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Only endpoints that ask for a policy (the MCP endpoint) answer CORS.
        app.UseCors();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapCatwalkUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
