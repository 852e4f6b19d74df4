using Catwalk.Core.Accounts;
using Catwalk.Core.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using CoreAccounts = Catwalk.Core.Accounts.AccountsServiceCollectionExtensions;

namespace Catwalk.Web.Accounts;

internal static class AccountsWebExtensions
{
    /// <summary>
    /// Accounts: Core's tokens, keys and audit log; ASP.NET Core Identity over the app's database with the Admin
    /// role and cookie sign-in; data protection keys kept in the database (so cookies survive restarts and work
    /// on every instance); the admin from <c>CATWALK_ADMIN_EMAIL</c>; optional GitHub sign-in.
    /// </summary>
    public static WebApplicationBuilder AddCatwalkAccounts(this WebApplicationBuilder builder)
    {
        CoreAccounts.AddCatwalkAccounts(builder);
        var services = builder.Services;

        services.AddIdentity<CatwalkUser, IdentityRole>(AccountPolicy.Apply)
            .AddEntityFrameworkStores<CatwalkDbContext>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(ConfigureCookie);
        services.ConfigureExternalCookie(o => o.Cookie.Name = "catwalk.external");

        services.AddDataProtection()
            .SetApplicationName("Catwalk")
            .PersistKeysToDbContext<CatwalkDbContext>();
        services.AddDataProtectionKeyEncryption();

        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAdminBootstrap();
        builder.AddGitHubSignIn();
        return builder;
    }

    /// <summary>Sign-out and the GitHub sign-in round trip (the account pages themselves are Razor components).</summary>
    public static WebApplication MapCatwalkAccounts(this WebApplication app)
    {
        app.MapAccountEndpoints();
        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "catwalk.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.LoginPath = AccountPaths.Login;
        options.LogoutPath = AccountPaths.Logout;
        options.AccessDeniedPath = AccountPaths.AccessDenied;
        options.ReturnUrlParameter = AccountPaths.ReturnUrlParameter;
        options.ExpireTimeSpan = TimeSpan.FromDays(14);
        options.SlidingExpiration = true;
        // Scripts calling /api get status codes, not an HTML sign-in page.
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
