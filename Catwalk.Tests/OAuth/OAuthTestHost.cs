using System.Text.RegularExpressions;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Catwalk.Tests.OAuth;

/// <summary>
/// The real app (local runtime, server-everything) with two users and headless Chromium that signs in and answers the
/// consent page, capturing the redirect to the client's loopback callback.
/// </summary>
internal sealed class OAuthTestHost : IAsyncDisposable
{
    public const string OwnerEmail = "owner@example.test";
    public const string OtherEmail = "other@example.test";
    public const string Password = "oauth browser passphrase";
    public const string RedirectUri = "http://127.0.0.1:48123/callback";

    private OAuthTestHost(CatwalkAppFactory app, HeadlessChromium chromium)
    {
        App = app;
        Chromium = chromium;
    }

    public CatwalkAppFactory App { get; }

    public HeadlessChromium Chromium { get; }

    public string OwnerId { get; private set; } = "";

    public static async Task<OAuthTestHost> StartAsync(PostgresServer postgres)
    {
        var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_RUNTIME"] = "local";
        app.Settings["CATWALK_MONITOR_INTERVAL"] = "1";
        _ = app.BaseAddress;
        var host = new OAuthTestHost(app, await HeadlessChromium.LaunchAsync());
        host.OwnerId = await host.CreateUserAsync(OwnerEmail);
        await host.CreateUserAsync(OtherEmail);
        return host;
    }

    public Uri EndpointOf(Guid id) => new(App.BaseAddress, $"api/mcp/{id}");

    /// <summary>server-everything owned by the owner, running.</summary>
    public async Task<Guid> DeployEverythingAsync(string name)
    {
        var created = await App.Services.GetRequiredService<DeploymentLifecycle>().CreateAsync(new CreateDeploymentRequest(
            OwnerId, name, "https://github.com/modelcontextprotocol/servers", "@modelcontextprotocol/server-everything",
            PackageRuntime.Npm, null, new Dictionary<string, string>()), TestContext.Current.CancellationToken);
        var contexts = App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>();
        await Eventually.Until(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var status = await db.Deployments.Where(d => d.Id == created.Deployment.Id).Select(d => d.Status).SingleAsync();
            status.Should().NotBe(DeploymentStatus.Failed);
            return status == DeploymentStatus.Running;
        }, "the deployment is running", TimeSpan.FromSeconds(60));
        return created.Deployment.Id;
    }

    /// <summary>A deployment row only (no machine): enough for a token to be refused by it.</summary>
    public async Task<Guid> AddStoppedDeploymentAsync(string name, string? ownerId = null)
    {
        var id = Guid.NewGuid();
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync();
        db.Deployments.Add(new Deployment
        {
            Id = id,
            OwnerId = ownerId ?? OwnerId,
            Name = name,
            Package = "@modelcontextprotocol/server-everything",
            Runtime = PackageRuntime.Npm,
            Status = DeploymentStatus.Stopped,
            AccessTokenHash = DeploymentAccessTokens.Hash(DeploymentAccessTokens.Generate()),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>Opens the authorization URL in a fresh browser context, signs in as <paramref name="email"/> and returns the consent page.</summary>
    public async Task<IPage> SignInAtAsync(Uri authorizationUri, string email)
    {
        var context = await Chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseAddress.ToString() });
        // A deadline for a loaded 2-core machine running the whole suite (many browsers and apps at once).
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(authorizationUri.ToString());
        await page.WaitForURLAsync(new Regex("/account/login\\?returnUrl="));
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", Password);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Regex("/oauth/consent\\?"));
        return page;
    }

    /// <summary>Clicks a consent button (or submits a forged decision) and returns the URL the browser was sent to on the client's callback.</summary>
    public static async Task<Uri> DecideAsync(IPage page, string? buttonTestId, string? forgedDecision = null)
    {
        var callback = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The browser is redirected to the client's loopback callback, answered here as a native client's listener
        // answers it. Left unanswered, the refused connection ended the navigation on Chromium's error page a moment
        // later, which could interrupt whatever the test opened next.
        await page.RouteAsync(RedirectUri + "**", async route =>
        {
            callback.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>Signed in: you can close this window.</p>" });
        });
        if (buttonTestId is not null)
        {
            await page.ClickAsync($"[data-testid={buttonTestId}]");
        }
        else
        {
            await page.EvaluateAsync("""
                decision => {
                  const form = document.querySelector("form[action='oauth/authorize']");
                  const input = document.createElement('input');
                  input.type = 'hidden'; input.name = 'decision'; input.value = decision;
                  form.appendChild(input); form.submit();
                }
                """, forgedDecision);
        }

        try
        {
            var redirected = await callback.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await page.WaitForURLAsync(url => url.StartsWith(RedirectUri, StringComparison.Ordinal));
            return redirected;
        }
        catch (TimeoutException)
        {
            var text = await page.InnerTextAsync("body");
            throw new TimeoutException($"No redirect to the client's callback; the browser is at {page.Url}: {text[..Math.Min(600, text.Length)]}");
        }
    }

    /// <summary>A user who signs in with <see cref="Password"/>; an admin when asked. Returns the user's id.</summary>
    public async Task<string> CreateUserAsync(string email, bool admin = false)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var user = new CatwalkUser { UserName = email, Email = email, EmailConfirmed = true };
        (await users.CreateAsync(user, Password)).Succeeded.Should().BeTrue();
        if (admin)
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(Viewer.AdminRole))
            {
                (await roles.CreateAsync(new IdentityRole(Viewer.AdminRole))).Succeeded.Should().BeTrue();
            }

            (await users.AddToRoleAsync(user, Viewer.AdminRole)).Succeeded.Should().BeTrue();
        }

        return user.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Keeps what the SDK client obtained, so the test can use its tokens directly.</summary>
internal sealed class RecordingTokenCache : ModelContextProtocol.Authentication.ITokenCache
{
    public ModelContextProtocol.Authentication.TokenContainer? Tokens { get; private set; }

    public ValueTask<ModelContextProtocol.Authentication.TokenContainer?> GetTokensAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Tokens);

    public ValueTask StoreTokensAsync(ModelContextProtocol.Authentication.TokenContainer tokens, CancellationToken cancellationToken)
    {
        Tokens = tokens;
        return ValueTask.CompletedTask;
    }
}
