using System.Security.Claims;
using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Admin;
using Catwalk.Web.Accounts;
using Catwalk.Web.Components.Deployments;
using Catwalk.Web.Components.Shared;
using Catwalk.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Catwalk.Tests.Web.Ui;

/// <summary>
/// A bUnit context for Catwalk's pages: MudBlazor with its providers rendered, JS interop answered loosely, a signed-in
/// test user (or none), the UI's own scoped services, and Core's services from a real <see cref="UiAppHost"/> when given.
/// </summary>
public sealed class UiTestContext : BunitContext
{
    public UiTestContext(CancellationToken testTimeout, UiAppHost? host = null, string? userId = "user-1", bool admin = false, Uri? publicUrl = null,
        Action<IServiceCollection>? services = null, bool withProviders = true, IServiceProvider? hostServices = null)
    {
        // A test past its deadline tears the renderer down, so no wait inside it can outlive the test.
        _timeoutRegistration = testTimeout.Register(() => _ = DisposeAsync().AsTask());
        // Pages load from a real database while other tests run: give renders more than bUnit's default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = 0);
        Services.AddScoped<CurrentViewer>();
        Services.AddScoped<BrowserInterop>();
        Services.AddScoped<DeploymentActions>();
        Services.AddSingleton<McpConnectionTest>();
        var publicAddress = new PublicAddress(publicUrl ?? new Uri("https://catwalk.test/"));
        Services.AddScoped(sp => new EndpointUrls(publicAddress, sp.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()));
        // Core's services: a UiAppHost's, or those of any real host (another Catwalk instance, say).
        var core = host?.Services ?? hostServices;
        if (core is not null)
        {
            // Core's singletons from the real host (a fallback provider would also hand out the host's own scoped
            // framework services, which cannot be resolved from its root).
            Services.AddSingleton(core.GetRequiredService<DeploymentStatusFeed>());
            Services.AddSingleton(core.GetRequiredService<DeploymentQueries>());
            Services.AddSingleton(core.GetRequiredService<DeploymentLifecycle>());
            Services.AddSingleton(core.GetRequiredService<MachineDirectory>());
            Services.AddSingleton(core.GetRequiredService<Catwalk.Core.Telemetry.MachineStateGauge>());
            Services.AddSingleton(core.GetRequiredService<TimeProvider>());
            Services.AddSingleton(core.GetRequiredService<MachineRuntimes>());
            Services.AddSingleton(core.GetRequiredService<IDeploymentNames>());
            // Accounts' scoped services, one per context as the app has one per circuit, over the host's singletons.
            Services.AddScoped(_ => ActivatorUtilities.CreateInstance<AuditLog>(core));
            Services.AddScoped(_ => ActivatorUtilities.CreateInstance<UserOpenRouterKeys>(core));
            Services.AddSingleton(core.GetRequiredService<DeploymentOperationGate>());
            Services.AddScoped(sp => new DeploymentCommands(sp.GetRequiredService<DeploymentQueries>(), sp.GetRequiredService<DeploymentLifecycle>(),
                sp.GetRequiredService<MachineDirectory>(), sp.GetRequiredService<DeploymentOperationGate>(), sp.GetRequiredService<AuditLog>()));
            Services.AddScoped(_ => core.CreateScope().ServiceProvider.GetRequiredService<Catwalk.Web.OAuth.OAuthConnections>());
        }
        else
        {
            // No host: no runtime with prerequisites, so every package kind can run.
            Services.AddSingleton(new MachineRuntimes(new ServiceCollection().BuildServiceProvider(), new MachineRuntimeSelection(RuntimeKind.Local)));
            Services.AddSingleton<IDeploymentNames>(new NoDeployments());
        }

        services?.Invoke(Services);
        var auth = AddAuthorization();
        if (userId is not null)
        {
            auth.SetAuthorized(userId + "@example.test");
            if (admin)
            {
                auth.SetRoles(Viewer.AdminRole);
            }

            // After the roles: setting them rebuilds the user, and pages read the viewer's id from this claim.
            auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        }

        // Components render as they do over a live circuit (this builds the renderer: every service is added by now).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

        // Popovers (selects, tooltips), dialogs and snackbars render into these providers (the layout has its own).
        if (!withProviders)
        {
            return;
        }

        _providers = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
        });
    }

    private readonly CancellationTokenRegistration _timeoutRegistration;

    /// <summary>Where popovers, dialogs and snackbars appear.</summary>
    public IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Providers =>
        _providers ?? throw new InvalidOperationException("This context renders no providers.");

    private readonly IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>? _providers;

    protected override void Dispose(bool disposing)
    {
        _timeoutRegistration.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Without a host there are no stored deployments, so every name is free.</summary>
internal sealed class NoDeployments : IDeploymentNames
{
    public Task<Guid?> FindAsync(string ownerId, string name, CancellationToken cancellationToken) => Task.FromResult<Guid?>(null);
}
