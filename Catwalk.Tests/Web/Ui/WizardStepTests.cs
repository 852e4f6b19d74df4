using Bunit;
using TestContext = Xunit.TestContext;
using Catwalk.Core.Analysis;
using Catwalk.Core.GitHub;
using Catwalk.Web.Components.Deploy;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Web.Ui;

/// <summary>The wizard's repository, analysis and credentials steps, each rendered on its own.</summary>
public sealed class WizardStepTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task The_repo_step_shows_the_parsers_error_inline_and_only_submits_a_valid_url()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken);
        GitHubRepoUrl? submitted = null;
        var step = ctx.Render<RepoStep>(p => p
            .Add(s => s.OnSubmitted, (GitHubRepoUrl url) => submitted = url)
            .Add(s => s.OnManualEntry, (GitHubRepoUrl? _) => { }));

        step.Find("#repo-url").Input("https://gitlab.com/owner/repo");
        step.Find("[data-testid=repo-analyze]").Click();

        step.Markup.Should().Contain("Only repositories on github.com are supported");
        submitted.Should().BeNull();

        step.Find("#repo-url").Input("github.com/Example/Weather-MCP");
        step.Markup.Should().NotContain("Only repositories on github.com");
        step.Find("[data-testid=repo-analyze]").Click();

        submitted.Should().NotBeNull();
        submitted!.Normalized.Should().Be("https://github.com/example/weather-mcp");
    }

    [Fact(Timeout = Timeout)]
    public async Task The_analysis_step_shows_each_stage_as_it_is_reported_then_the_editable_result_with_its_sources()
    {
        var analyzer = new ScriptedAnalyzer();
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        var step = ctx.Render<AnalysisStep>(p => p
            .Add(s => s.RepoUrl, GitHubRepoUrl.Parse("https://github.com/example/weather-mcp"))
            .Add(s => s.OpenRouterApiKey, "sk-or-user")
            .Add(s => s.OnContinue, (DeployDraft _) => { })
            .Add(s => s.OnBack, () => { }));
        await analyzer.Started.Task.WaitAsync(TestContext.Current.CancellationToken);

        analyzer.Report(AnalysisStage.ReadingRepository, "Reading example/weather-mcp");
        step.WaitForAssertion(() => step.Find("[data-testid=stage-ReadingRepository]").GetAttribute("data-state").Should().Be("Active"));
        step.Find("[data-testid=stage-CheckingPackage]").GetAttribute("data-state").Should().Be("Waiting");

        analyzer.Report(AnalysisStage.CheckingPackage, "Checking @example/weather-mcp on npm");
        step.WaitForAssertion(() => step.Find("[data-testid=stage-CheckingPackage]").GetAttribute("data-state").Should().Be("Active"));
        step.Find("[data-testid=stage-ReadingRepository]").GetAttribute("data-state").Should().Be("Done");
        step.Find("[data-testid=stage-AskingLlm]").GetAttribute("data-state").Should().Be("Skipped");
        step.Markup.Should().Contain("Checking @example/weather-mcp on npm");

        analyzer.Finish(ScriptedAnalyzer.WeatherAnalysis());

        step.WaitForAssertion(() => step.Find("#draft-package").GetAttribute("value").Should().Be("@example/weather-mcp"));
        step.Find("#draft-name").GetAttribute("value").Should().Be("weather-mcp");
        step.Find("#draft-version").GetAttribute("value").Should().BeNullOrEmpty("an unpinned server runs the latest version");
        step.Markup.Should().Contain("Empty runs the latest version (now 1.2.3).");
        step.Markup.Should().Contain("Found in package.json").And.Contain("Found in README.md").And.Contain("Found in src/config.ts");
        step.FindAll("[data-testid=env-row]").Should().HaveCount(2);
        analyzer.Calls.Single().Request.OpenRouterApiKey.Should().Be("sk-or-user", "the user's own key is handed to the analysis");
    }

    [Fact(Timeout = Timeout)]
    public async Task Env_vars_can_be_added_removed_and_toggled_and_continue_refuses_an_invalid_draft()
    {
        var analyzer = new ScriptedAnalyzer();
        analyzer.Finish(ScriptedAnalyzer.WeatherAnalysis());
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        DeployDraft? continued = null;
        var step = ctx.Render<AnalysisStep>(p => p
            .Add(s => s.RepoUrl, GitHubRepoUrl.Parse("https://github.com/example/weather-mcp"))
            .Add(s => s.OnContinue, (DeployDraft d) => continued = d)
            .Add(s => s.OnBack, () => { }));
        step.WaitForElement("[data-testid=env-row]");

        // Remove the region, add a variable with a bad name, turn the key's Secret off.
        step.Find("button[aria-label='Remove WEATHER_REGION']").Click();
        step.Find("[data-testid=env-add]").Click();
        var rows = step.FindAll("[data-testid=env-row]");
        rows.Should().HaveCount(2);
        rows[1].QuerySelector("input")!.Input("1-bad name");
        rows[0].QuerySelectorAll("input[type=checkbox]")[1].Change(false);
        step.Find("#draft-package").Input("Not A Package!");

        step.Find("[data-testid=analysis-continue]").Click();

        continued.Should().BeNull();
        step.Markup.Should().Contain("1-bad name");
        step.FindAll(".mud-input-error").Should().NotBeEmpty();

        step.FindAll("[data-testid=env-row]")[1].QuerySelector("input")!.Input("EXTRA_SETTING");
        step.Find("#draft-package").Input("@example/weather-mcp");
        step.Find("[data-testid=analysis-continue]").Click();

        continued.Should().NotBeNull();
        continued!.Env.Select(e => (e.Name, e.Secret)).Should().Equal(("WEATHER_API_KEY", false), ("EXTRA_SETTING", true));
    }

    [Fact(Timeout = Timeout)]
    public async Task Proposed_arguments_show_their_source_can_be_edited_removed_and_added_and_a_credential_they_reference_is_asked_for()
    {
        var analyzer = new ScriptedAnalyzer();
        analyzer.Finish(ScriptedAnalyzer.WeatherAnalysis() with
        {
            Args =
            [
                new ArgumentSpec { Value = "--stdio", Source = "server.json" },
                new ArgumentSpec { Value = "--token=${WEATHER_TOKEN}", Source = "server.json" },
                new ArgumentSpec { Value = "--verbose", Source = "README.md" },
            ],
        });
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        DeployDraft? continued = null;
        var step = ctx.Render<AnalysisStep>(p => p
            .Add(s => s.RepoUrl, GitHubRepoUrl.Parse("https://github.com/example/weather-mcp"))
            .Add(s => s.OnContinue, (DeployDraft d) => continued = d)
            .Add(s => s.OnBack, () => { }));
        step.WaitForElement("[data-testid=arg-row]");

        step.FindAll("[data-testid=arg-row]").Should().HaveCount(3);
        step.FindAll("[data-testid=arg-row]")[0].TextContent.Should().Contain("Found in server.json");
        step.FindAll("[data-testid=env-row]").Select(r => r.QuerySelector("input")!.GetAttribute("value")).Should().Contain("WEATHER_TOKEN",
            "a credential an argument references gets a field");

        // Remove --verbose, change --stdio, add one with a line break: refused; then fix it.
        step.Find("button[aria-label='Remove argument --verbose']").Click();
        step.FindAll("[data-testid=arg-row]")[0].QuerySelector("input")!.Input("stdio");
        step.Find("[data-testid=arg-add]").Click();
        step.FindAll("[data-testid=arg-row]")[2].QuerySelector("input")!.Input("--dir=/data\nrm");
        step.Find("[data-testid=analysis-continue]").Click();

        continued.Should().BeNull();
        step.Find("[data-testid=args-error]").TextContent.Should().Contain("line break");

        step.FindAll("[data-testid=arg-row]")[2].QuerySelector("input")!.Input("--dir=/data");
        step.Find("[data-testid=analysis-continue]").Click();

        continued.Should().NotBeNull();
        continued!.ToRequest("owner").Arguments.Should().Equal("stdio", "--token=${WEATHER_TOKEN}", "--dir=/data");
    }

    [Fact(Timeout = Timeout)]
    public async Task A_pinned_version_is_proposed_and_analyse_again_forces_a_fresh_analysis()
    {
        var analyzer = new ScriptedAnalyzer();
        analyzer.Finish(ScriptedAnalyzer.WeatherAnalysis() with { PinnedVersion = "1.0.0" });
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        var step = ctx.Render<AnalysisStep>(p => p
            .Add(s => s.RepoUrl, GitHubRepoUrl.Parse("https://github.com/example/weather-mcp"))
            .Add(s => s.OnContinue, (DeployDraft _) => { })
            .Add(s => s.OnBack, () => { }));
        step.WaitForElement("[data-testid=analysis-again]");

        step.Find("#draft-version").GetAttribute("value").Should().Be("1.0.0");
        step.Find("[data-testid=analysis-again]").Click();

        step.WaitForAssertion(() => analyzer.Calls.Should().HaveCount(2));
        analyzer.Calls[0].Request.Force.Should().BeFalse();
        analyzer.Calls[1].Request.Force.Should().BeTrue();
    }

    [Fact(Timeout = Timeout)]
    public async Task When_analysis_fails_the_user_can_enter_everything_by_hand_and_go_on()
    {
        var analyzer = new ScriptedAnalyzer();
        analyzer.Fail(new AnalysisFailedException(AnalysisFailureKind.UpstreamUnreachable, "GitHub could not be reached."));
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken, services: s => s.AddSingleton<IRepositoryAnalyzer>(analyzer));
        DeployDraft? continued = null;
        var step = ctx.Render<AnalysisStep>(p => p
            .Add(s => s.RepoUrl, GitHubRepoUrl.Parse("https://github.com/example/weather-mcp"))
            .Add(s => s.OnContinue, (DeployDraft d) => continued = d)
            .Add(s => s.OnBack, () => { }));

        step.WaitForElement("[data-testid=analysis-failed]").TextContent.Should().Contain("GitHub could not be reached.");
        step.Find("[data-testid=analysis-retry]").Should().NotBeNull();
        step.Find("#draft-name").GetAttribute("value").Should().Be("weather-mcp");

        step.Find("#draft-package").Input("@example/weather-mcp");
        step.Find("[data-testid=env-add]").Click();
        step.Find("[data-testid=env-row] input").Input("WEATHER_API_KEY");
        step.Find("[data-testid=analysis-continue]").Click();

        continued.Should().NotBeNull();
        continued!.Package.Should().Be("@example/weather-mcp");
        continued.Env.Single().Name.Should().Be("WEATHER_API_KEY");
        continued.Analysis.Should().BeNull();
    }

    [Fact(Timeout = Timeout)]
    public async Task The_credentials_form_is_built_from_the_analysis_masks_secrets_marks_required_and_prefills_defaults()
    {
        await using var ctx = new UiTestContext(TestContext.Current.CancellationToken);
        var draft = DeployDraft.FromAnalysis(ScriptedAnalyzer.WeatherAnalysis());
        var continued = false;
        var step = ctx.Render<CredentialsStep>(p => p
            .Add(s => s.Draft, draft)
            .Add(s => s.OnContinue, () => continued = true)
            .Add(s => s.OnBack, () => { }));

        var key = step.Find("#credential-WEATHER_API_KEY");
        key.GetAttribute("type").Should().Be("password", "secrets are masked");
        key.HasAttribute("required").Should().BeTrue();
        step.Find("#credential-WEATHER_REGION").GetAttribute("type").Should().Be("text");
        step.Find("#credential-WEATHER_REGION").GetAttribute("value").Should().Be("eu", "defaults are prefilled");
        step.Markup.Should().Contain("Your API key from weather.example").And.Contain("Region for forecasts");

        // Required and empty: refused.
        step.Find("[data-testid=credentials-continue]").Click();
        step.WaitForAssertion(() => step.Markup.Should().Contain("WEATHER_API_KEY is required."));
        continued.Should().BeFalse();

        step.Find("#credential-WEATHER_API_KEY").Input("sk-weather-123");
        step.Find("button[aria-label='Show WEATHER_API_KEY']").Click();
        step.Find("#credential-WEATHER_API_KEY").GetAttribute("type").Should().Be("text", "the reveal toggle shows the value");
        step.Find("button[aria-label='Hide WEATHER_API_KEY']").Click();
        step.Find("#credential-WEATHER_API_KEY").GetAttribute("type").Should().Be("password");

        step.Find("[data-testid=credentials-continue]").Click();
        step.WaitForAssertion(() => continued.Should().BeTrue());
        draft.ToRequest("user-1").Environment.Should().Equal(new Dictionary<string, string> { ["WEATHER_API_KEY"] = "sk-weather-123", ["WEATHER_REGION"] = "eu" });
    }
}
