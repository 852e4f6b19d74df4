using Bunit;
using Catwalk.Core.Accounts;
using Catwalk.Core.Analysis;
using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;
using Catwalk.Web.Components.Deploy;
using Catwalk.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Web.Ui;

/// <summary>The wizard's deploy and connect steps against the real lifecycle, local runtime and endpoint.</summary>
public sealed class DeployAndConnectStepTests(UiAppHost host) : IClassFixture<UiAppHost>
{
    private const int Timeout = 150_000;

    [Fact(Timeout = Timeout)]
    public async Task Deploying_streams_the_lifecycle_events_live_until_running_and_hands_over_the_token()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "wizard-user");
        var draft = new DeployDraft { Name = "wizard-everything", Package = "@modelcontextprotocol/server-everything", Runtime = PackageRuntime.Npm };
        draft.Env.Add(new EnvVarDraft { Name = "UI_SECRET", Secret = true, Value = "hidden-value" });
        (Guid Id, string Token)? created = null;
        var continued = false;
        var step = ctx.Render<DeployStep>(p => p
            .Add(s => s.Draft, draft)
            .Add(s => s.OnCreated, ((Guid Id, string Token) c) => created = c)
            .Add(s => s.OnContinue, () => continued = true)
            .Add(s => s.OnBack, () => { }));

        step.Find("[data-testid=deploy-start]").Click();

        step.WaitForElement("[data-testid=deploy-running]", TimeSpan.FromSeconds(90));
        created.Should().NotBeNull();
        created!.Value.Token.Should().NotBeNullOrEmpty();
        step.FindAll("[data-testid=event]").Select(e => e.GetAttribute("data-status")).Should()
            .ContainInOrder("Pending", "Provisioning", "Starting", "Running");
        step.Markup.Should().NotContain("hidden-value");
        (await host.FindAsync(created.Value.Id))!.OwnerId.Should().Be("wizard-user");
        (await host.Audit.ListAsync(50, TestContext.Current.CancellationToken))
            .Should().Contain(e => e.Action == "deployment-created" && e.UserId == "wizard-user" && e.Target == created.Value.Id.ToString());

        step.Find("[data-testid=deploy-continue]").Click();
        continued.Should().BeTrue();
    }

    [Fact(Timeout = Timeout)]
    public async Task A_failed_deployment_shows_its_reason_log_tail_and_a_retry()
    {
        var failed = await host.InsertAsync("wizard-user", "broken", DeploymentStatus.Failed,
            (DeploymentStatus.Pending, "Created", null),
            (DeploymentStatus.Failed, "The server exited with code 1.", "Error: missing BROKEN_API_KEY\n    at main (index.js:3)"));
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "wizard-user");

        var step = ctx.Render<DeployStep>(p => p
            .Add(s => s.Draft, new DeployDraft { Name = "broken", Package = "@example/broken" })
            .Add(s => s.DeploymentId, failed.Id)
            .Add(s => s.OnCreated, ((Guid, string) _) => { })
            .Add(s => s.OnContinue, () => { })
            .Add(s => s.OnBack, () => { }));

        step.WaitForElement("[data-testid=deploy-failed]").TextContent.Should().Contain("The server exited with code 1.");
        step.Find("[data-testid=failure-section] pre").TextContent.Should().Contain("Error: missing BROKEN_API_KEY");
        step.Find("[data-testid=deploy-retry]").Should().NotBeNull();
    }

    [Fact(Timeout = Timeout)]
    public async Task The_connect_step_shows_endpoint_token_and_snippets_and_its_test_lists_the_servers_tools()
    {
        var created = await host.DeployEverythingAsync("wizard-user", "connectable");
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: "wizard-user", publicUrl: host.App.BaseAddress);
        var endpoint = new Uri(host.App.BaseAddress, $"api/mcp/{created.Deployment.Id}").AbsoluteUri;

        var step = ctx.Render<ConnectStep>(p => p
            .Add(s => s.DeploymentId, created.Deployment.Id)
            .Add(s => s.Name, "connectable")
            .Add(s => s.Token, created.AccessToken));

        step.Find("#endpoint-url").GetAttribute("value").Should().Be(endpoint);
        step.Find("#access-token").GetAttribute("value").Should().Be(created.AccessToken);
        // Signing in (OAuth) first, the token as the fallback.
        step.Find("[data-testid=snippet-code]").TextContent.Should().Be($"claude mcp add --transport http connectable {endpoint}");
        step.Find("[data-testid=snippet-code-token]").TextContent.Should()
            .Be($"claude mcp add --transport http connectable {endpoint} --header \"Authorization: Bearer {created.AccessToken}\"");
        step.Find("[data-testid=snippet-desktop]").TextContent.Should().Contain("\"mcpServers\"").And.Contain(endpoint).And.Contain("Bearer " + created.AccessToken);
        step.Find("[data-testid=snippet-claude-ai]").TextContent.Should().Be(endpoint);
        step.Find("[data-testid=snippet-claude-ai-token]").TextContent.Should().Be($"{endpoint}?token={created.AccessToken}");

        step.Find("[data-testid=copy-token]").Click();
        ctx.JSInterop.Invocations.Should().Contain(i => i.Identifier == "copyText" && i.Arguments.Contains(created.AccessToken));

        step.Find("[data-testid=test-connection]").Click();

        step.WaitForElement("[data-testid=test-tools]", TimeSpan.FromSeconds(60)).TextContent.Should().Contain("echo").And.Contain("get-env");
        step.Find("[data-testid=test-result]").TextContent.Should().Contain("initialize and tools/list worked");
    }

    [Fact(Timeout = Timeout)]
    public async Task The_wizard_opened_from_the_home_page_box_analyses_that_repository_with_the_users_own_openrouter_key()
    {
        var userId = await host.CreateUserAsync($"key-owner-{Guid.NewGuid():N}@example.test");
        await host.OpenRouterKeys.SetAsync(userId, "sk-or-users-own-key", TestContext.Current.CancellationToken);
        var analyzer = new ScriptedAnalyzer();
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, host, userId: userId,
            services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("deploy?repo=" + Uri.EscapeDataString("https://github.com/example/weather-mcp"));

        var wizard = ctx.Render<DeployWizard>();

        await analyzer.Started.Task.WaitAsync(TestContext.Current.CancellationToken);
        analyzer.Calls.Single().RepoUrl.Should().Be("https://github.com/example/weather-mcp");
        analyzer.Calls.Single().Request.OpenRouterApiKey.Should().Be("sk-or-users-own-key");
        wizard.WaitForAssertion(() => wizard.Find("[data-testid=wizard-step-Analysis]").GetAttribute("aria-current").Should().Be("step"));
    }

    [Fact]
    public void Snippets_escape_the_name_and_token_where_their_format_needs_it()
    {
        var endpoint = new Uri("https://catwalk.example/api/mcp/0b6c7b0e-1111-2222-3333-444455556666");

        ConnectSnippets.ClaudeAiConnectorUrl(endpoint, "a+b/c=").Should().Be(endpoint.AbsoluteUri + "?token=a%2Bb%2Fc%3D");
        ConnectSnippets.ClaudeDesktop("my-server", endpoint, null).Should().Contain("\"my-server\"").And.Contain("Bearer " + ConnectSnippets.TokenPlaceholder);
        System.Text.Json.JsonDocument.Parse(ConnectSnippets.ClaudeDesktop("quote\"name", endpoint, "t")).RootElement
            .GetProperty("mcpServers").GetProperty("quote\"name").GetProperty("args")[2].GetString().Should().Be(endpoint.AbsoluteUri);
    }
}
