using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bunit;
using TestContext = Xunit.TestContext;
using Catwalk.Core.Accounts;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Web.Ui;
using Catwalk.Web.Components.Admin;
using Catwalk.Web.Components.Deploy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Machines.Local;

/// <summary>A host without uv: PyPI servers are refused before anything starts, with how to install it.</summary>
public sealed class LocalRuntimePrerequisitesTests(PostgresServer postgres)
{
    private const string MissingUvx = "/nonexistent/catwalk-test/uvx";

    [Fact]
    public void Npx_on_PATH_is_found_and_a_missing_uvx_refuses_PyPI_saying_how_to_install_uv()
    {
        var prerequisites = Prerequisites();

        prerequisites.WhyCannotRun(PackageRuntime.Npm).Should().BeNull("the tests themselves run npx servers");
        prerequisites.WhyCannotRun(PackageRuntime.Pypi).Should().Contain(MissingUvx).And.Contain("install uv").And.Contain("CATWALK_LOCAL_UVX");
        prerequisites.Tools.Should().Contain(t => t.Command == "npx" && t.Found)
            .And.Contain(t => t.Command == MissingUvx && !t.Found)
            .And.Contain(t => t.Command == LocalRuntimePrerequisites.SandboxCommand);
    }

    [Fact]
    public async Task The_api_answers_400_for_a_PyPI_deployment_on_a_host_without_uvx_and_stores_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new CatwalkAppFactory(await postgres.CreateDatabaseAsync());
        app.Settings["CATWALK_RUNTIME"] = "local";
        app.Settings[LocalRuntimeOptions.UvxCommandVariable] = MissingUvx;
        var logs = new CapturedLogs().AddTo(app);
        _ = app.BaseAddress;
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await IssueTokenAsync(app));

        using var create = await client.PostAsJsonAsync("/api/deployments",
            new { name = "python-tools", package = "mcp-server-fetch", runtime = "pypi", env = new Dictionary<string, string>() }, ct);

        create.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await create.Content.ReadAsStringAsync(ct))!;
        problem["errors"]!["runtime"]![0]!.GetValue<string>().Should().Contain("install uv");
        await using var db = PostgresServer.CreateContext(app.Settings["DATABASE_URL"]!);
        db.Deployments.Should().BeEmpty();
        logs.Lines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("PyPI servers cannot run here", StringComparison.Ordinal),
            "the start-up log says what the local runtime cannot run");
        logs.Lines.Should().Contain(l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("npm servers run with npx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_wizard_warns_as_soon_as_PyPI_is_chosen_and_the_admin_page_shows_which_tools_are_missing()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, admin: true,
            services: s => s.AddSingleton(new MachineRuntimes(RuntimesWith(Prerequisites()), new MachineRuntimeSelection(RuntimeKind.Local))));
        var draft = new DeployDraft { Name = "tools", Package = "mcp-server-fetch", Runtime = PackageRuntime.Npm };

        var editor = ctx.Render<DraftEditor>(p => p.Add(e => e.Draft, draft));
        editor.FindAll("[data-testid=runtime-unavailable]").Should().BeEmpty();
        draft.Runtime = PackageRuntime.Pypi;
        editor.Render();
        editor.Find("[data-testid=runtime-unavailable]").TextContent.Should().Contain("install uv");

        var availability = ctx.Render<RuntimeAvailability>();
        availability.Find("[data-testid=runtime-tool-npx]").GetAttribute("data-found").Should().Be("true");
        availability.Find($"[data-testid='runtime-tool-{MissingUvx}']").GetAttribute("data-found").Should().Be("false");
    }

    private static LocalRuntimePrerequisites Prerequisites() =>
        new(Options.Create(new LocalRuntimeOptions { UvxCommand = MissingUvx }));

    private static ServiceProvider RuntimesWith(LocalRuntimePrerequisites prerequisites)
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IRuntimePrerequisites>(RuntimeKind.Local, prerequisites);
        services.AddKeyedSingleton<IMachineRuntime>(RuntimeKind.Local, new Reconciliation.ScriptedRuntime(RuntimeKind.Local));
        return services.BuildServiceProvider();
    }

    private static async Task<string> IssueTokenAsync(CatwalkAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CatwalkUser>>();
        var user = new CatwalkUser { UserName = "py@example.test", Email = "py@example.test" };
        (await users.CreateAsync(user)).Succeeded.Should().BeTrue();
        return (await scope.ServiceProvider.GetRequiredService<PersonalApiTokens>().CreateAsync(user.Id, "py", TestContext.Current.CancellationToken)).Token;
    }
}
