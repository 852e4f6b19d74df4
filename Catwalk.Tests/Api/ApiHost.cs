using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Catwalk.Core.Accounts;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Analysis;
using Catwalk.Tests.Fakes.GitHub;
using Catwalk.Tests.Fakes.OpenRouter;
using Catwalk.Tests.Fakes.Registries;
using Catwalk.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace Catwalk.Tests.Api;

/// <summary>
/// The real app on loopback (local runtime, fakes for GitHub, the registries and OpenRouter) with three users, each
/// with a personal API token: A and B (plain users) and an admin. Every API response and every log line is kept, so
/// tests can search them for secrets. One server-everything deployment of A is shared by a class's tests.
/// </summary>
public sealed class ApiHost(PostgresServer postgres) : IAsyncLifetime
{
    public const string SecretName = "API_E2E_SECRET";
    public const string AnalyzedRepo = "https://github.com/acme/echo-server";
    public const string EverythingPackage = "@modelcontextprotocol/server-everything";

    private readonly TestRepositories _repositories = new();
    private Task<SharedDeployment>? _shared;

    public CatwalkAppFactory App { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Every response the test clients received: method, path, status, headers and body.</summary>
    public ConcurrentQueue<RecordedResponse> Responses { get; } = new();

    /// <summary>Settings applied before the app starts (for hosts with other limits).</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = new(StringComparer.Ordinal);

    public ApiUser UserA { get; private set; } = null!;

    public ApiUser UserB { get; private set; } = null!;

    public ApiUser Admin { get; private set; } = null!;

    internal FakeGitHubServer GitHub { get; private set; } = null!;

    internal FakePackageRegistryServer Registries { get; private set; } = null!;

    internal FakeOpenRouterServer OpenRouter { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories.Add("acme/echo-server", new Dictionary<string, string>
        {
            ["package.json"] = """{ "name": "@acme/echo-server", "description": "Echoes things.", "bin": { "echo-server": "index.js" } }""",
            ["README.md"] = """
                # Echo server

                ## Configuration

                The server supports the following environment variables:

                - `ACME_API_KEY`: Your Acme API key (required)

                ```json
                { "mcpServers": { "echo": { "command": "npx", "args": ["-y", "@acme/echo-server"], "env": { "ACME_API_KEY": "YOUR_API_KEY_HERE" } } } }
                ```
                """,
        });
        // server-everything reads its transport from its first argument; this server.json says to pass "stdio".
        _repositories.Add("acme/everything-stdio", new Dictionary<string, string>
        {
            ["package.json"] = "{ \"name\": \"" + EverythingPackage + "\", \"bin\": { \"mcp-server-everything\": \"dist/index.js\" } }",
            ["server.json"] = "{ \"name\": \"io.github.acme/everything-stdio\", \"packages\": [{ \"registryType\": \"npm\", \"identifier\": \"" + EverythingPackage +
                "\", \"transport\": { \"type\": \"stdio\" }, \"packageArguments\": [{ \"type\": \"positional\", \"value\": \"stdio\", \"isRequired\": true }] }] }",
        });
        GitHub = await FakeGitHubServer.StartAsync(_repositories.Root);
        Registries = await FakePackageRegistryServer.StartAsync();
        Registries.AddNpm("@acme/echo-server", "1.2.3", "echo-server");
        Registries.AddNpm(EverythingPackage, "2026.8.31", "mcp-server-everything");
        OpenRouter = await FakeOpenRouterServer.StartAsync();

        App = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        App.Settings["CATWALK_RUNTIME"] = "local";
        App.Settings["CATWALK_MONITOR_INTERVAL"] = "1";
        App.Settings["GITHUB_API_BASE_URL"] = GitHub.BaseAddress.AbsoluteUri;
        App.Settings["NPM_REGISTRY_URL"] = Registries.NpmRegistryUrl.AbsoluteUri;
        App.Settings["PYPI_BASE_URL"] = Registries.PypiBaseUrl.AbsoluteUri;
        App.Settings["OPENROUTER_BASE_URL"] = OpenRouter.BaseUrl.AbsoluteUri;
        App.Settings["CATWALK_RATE_LIMIT_ANALYZE"] = "1000";
        App.Settings["CATWALK_RATE_LIMIT_DEPLOY"] = "1000";
        App.Settings["CATWALK_RATE_LIMIT_SIGN_IN"] = "1000";
        foreach (var (key, value) in ExtraSettings)
        {
            App.Settings[key] = value;
        }

        Logs.AddTo(App);
        _ = App.BaseAddress;

        UserA = await CreateUserAsync("user-a@example.test", admin: false);
        UserB = await CreateUserAsync("user-b@example.test", admin: false);
        Admin = await CreateUserAsync("admin@example.test", admin: true);
    }

    /// <summary>A user written straight into Identity's tables (with the Admin role when asked), and a personal token of theirs.</summary>
    public async Task<ApiUser> CreateUserAsync(string email, bool admin)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = new CatwalkUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct))
        {
            db.Users.Add(user);
            if (admin)
            {
                var role = await db.Roles.SingleOrDefaultAsync(r => r.NormalizedName == "ADMIN", ct);
                if (role is null)
                {
                    role = new IdentityRole(Viewer.AdminRole) { NormalizedName = "ADMIN" };
                    db.Roles.Add(role);
                }

                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
            }

            await db.SaveChangesAsync(ct);
        }

        var token = await IssueTokenAsync(user.Id, "tests");
        return new ApiUser(user.Id, email, token.Token, token.Id);
    }

    public async Task<IssuedApiToken> IssueTokenAsync(string userId, string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(userId, name, TestContext.Current.CancellationToken);
    }

    /// <summary>An HTTP client for the app that records every response; with a bearer token when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new RecordingHandler(Responses) { InnerHandler = new SocketsHttpHandler { UseCookies = false } })
        {
            BaseAddress = App.BaseAddress,
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>One running server-everything deployment of user A, created through the API (on first use).</summary>
    public Task<SharedDeployment> SharedDeploymentAsync() => _shared ??= CreateRunningAsync(UserA, "shared-everything");

    /// <summary>Creates a server-everything deployment through the API as <paramref name="owner"/> and waits until it runs.</summary>
    public async Task<SharedDeployment> CreateRunningAsync(ApiUser owner, string name)
    {
        var secret = "credential-" + Guid.NewGuid().ToString("N");
        using var client = Client(owner.Token);
        using var response = await client.PostAsJsonAsync("/api/deployments", new
        {
            name,
            repoUrl = "https://github.com/modelcontextprotocol/servers",
            package = EverythingPackage,
            runtime = "npm",
            env = new Dictionary<string, string> { [SecretName] = secret },
        }, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await ReadJsonAsync(response);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        await WaitForStatusAsync(owner, id, "Running");
        return new SharedDeployment(id, created["accessToken"]!.GetValue<string>(), secret, new Uri(created["endpointUrl"]!.GetValue<string>()));
    }

    /// <summary>Polls <c>GET /api/deployments/{id}</c> until the status is <paramref name="status"/> (Failed ends the wait).</summary>
    public async Task<JsonNode> WaitForStatusAsync(ApiUser viewer, Guid id, string status, TimeSpan? timeout = null)
    {
        using var client = Client(viewer.Token);
        var deployment = await Eventually.ReturnsAsync(async () =>
            {
                using var response = await client.GetAsync($"/api/deployments/{id}", TestContext.Current.CancellationToken);
                return await ReadJsonAsync(response);
            },
            d => d["status"]?.GetValue<string>() is { } s && (s == status || s == "Failed"),
            $"deployment {id} is {status}", timeout ?? TimeSpan.FromSeconds(90));
        deployment["status"]!.GetValue<string>().Should().Be(status, "the deployment should not fail: {0}", deployment["error"]);
        return deployment;
    }

    public async Task<McpClient> ConnectAsync(Uri endpoint, string accessToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
        }, NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport, new McpClientOptions(), NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
        ?? throw new InvalidOperationException("The body is JSON null.");

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
        await Registries.DisposeAsync();
        await OpenRouter.DisposeAsync();
        _repositories.Dispose();
    }

    private sealed class RecordingHandler(ConcurrentQueue<RecordedResponse> responses) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            responses.Enqueue(new RecordedResponse(request.Method.Method, request.RequestUri!.PathAndQuery, (int)response.StatusCode,
                response.Headers.ToString() + response.Content.Headers, body));
            return response;
        }
    }
}

/// <summary>A test user and one personal API token of theirs.</summary>
public sealed record ApiUser(string UserId, string Email, string Token, Guid TokenId);

/// <summary>A running deployment made through the API, with its access token and the credential value it was given.</summary>
public sealed record SharedDeployment(Guid Id, string AccessToken, string Secret, Uri EndpointUrl);

/// <summary>One response a test client received.</summary>
public sealed record RecordedResponse(string Method, string Path, int Status, string Headers, string Body);
