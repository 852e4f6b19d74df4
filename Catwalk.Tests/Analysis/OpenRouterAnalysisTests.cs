using System.Text.Json;
using Catwalk.Core.Analysis;

namespace Catwalk.Tests.Analysis;

/// <summary>The LLM path end to end: Betalgo.Ranul.OpenAI against the fake OpenRouter's chat completions endpoint.</summary>
public sealed class OpenRouterAnalysisTests : IAsyncLifetime
{
    private const string Url = "https://github.com/elevenlabs/elevenlabs-mcp";

    private static readonly string GoodAnswer = JsonSerializer.Serialize(new
    {
        name = "ElevenLabs",
        description = "Text to speech and voice tools.",
        package = "elevenlabs-mcp",
        runtime = "pypi",
        env = new object[]
        {
            new { name = "ELEVENLABS_API_KEY", description = "Model's description.", required = false, secret = false, @default = (string?)null },
            new { name = "ELEVENLABS_DEFAULT_VOICE_ID", description = "Voice used when a tool call names none.", required = false, secret = false, @default = "cgSgspJ2msm6clMCkdW9" },
            new { name = "XDG_CONFIG_HOME", description = "Config folder.", required = false, secret = false, @default = (string?)null },
            new { name = "ELEVENLABS_INVENTED_SETTING", description = "Not in any file.", required = true, secret = false, @default = (string?)null },
        },
        tools = new object[]
        {
            new { name = "text_to_speech", description = "Convert text to speech." },
            new { name = "made_up_tool", description = "Not in any file." },
        },
    });

    private readonly TestRepositories _repositories = new();
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories.CopyFromCorpus("elevenlabs/elevenlabs-mcp");
        _host = await AnalyzerHost.StartAsync(_repositories.Root, openRouterApiKey: "sk-or-system");
        _host.Registries.AddPypi("elevenlabs-mcp", "0.9.1");
    }

    [Fact]
    public async Task A_valid_answer_fills_gaps_without_overriding_registry_metadata()
    {
        _host.OpenRouter.EnqueueCompletion(GoodAnswer);

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeTrue();
        analysis.Warnings.Should().BeEmpty();
        analysis.Env.Single(e => e.Name == "ELEVENLABS_API_KEY").Should().BeEquivalentTo(new
        {
            Required = true,
            Secret = true,
            Description = "Your ElevenLabs API key",
            Source = "server.json",
        }, "server.json's facts and description stand");
        analysis.Env.Single(e => e.Name == "ELEVENLABS_DEFAULT_VOICE_ID").Description.Should().Be("Voice used when a tool call names none.");
        analysis.Env.Select(e => e.Name).Should().NotContain(["XDG_CONFIG_HOME", "ELEVENLABS_INVENTED_SETTING"]);
        analysis.Tools.Single(t => t.Name == "text_to_speech").Should().NotBeNull();
        analysis.Tools.Should().NotContain(t => t.Name == "made_up_tool");
        analysis.Sources.Should().Contain(s => s.Path == "llm" && s.Fields.Contains("env"));
    }

    [Fact]
    public async Task The_request_uses_the_configured_model_key_headers_and_a_strict_json_schema()
    {
        _host.OpenRouter.EnqueueCompletion(GoodAnswer);

        await _host.AnalyzeAsync(Url);

        var request = _host.OpenRouter.Requests.Should().ContainSingle().Subject;
        request.Authorization.Should().Be("Bearer sk-or-system");
        request.Referer.Should().Be("https://catwalk.test/");
        request.Title.Should().Be("Catwalk");
        using var body = request.Json();
        body.RootElement.GetProperty("model").GetString().Should().Be("anthropic/claude-haiku-4.5");
        body.RootElement.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_schema");
        body.RootElement.GetProperty("response_format").GetProperty("json_schema").GetProperty("strict").GetBoolean().Should().BeTrue();
        var messages = body.RootElement.GetProperty("messages");
        messages[0].GetProperty("role").GetString().Should().Be("system");
        messages[1].GetProperty("content").GetString().Should().Contain("===== server.json =====").And.Contain("ELEVENLABS_API_KEY");
    }

    [Fact]
    public async Task A_users_own_key_is_used_before_the_system_key()
    {
        _host.OpenRouter.EnqueueCompletion(GoodAnswer);

        await _host.AnalyzeAsync(Url, new AnalysisRequest { OpenRouterApiKey = "sk-or-user" });

        _host.OpenRouter.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer sk-or-user");
    }

    [Fact]
    public async Task Malformed_json_is_retried_once_with_the_reason()
    {
        _host.OpenRouter.EnqueueCompletion("{\"name\": \"ElevenLabs\", \"env\": [ {\"name\": ");
        _host.OpenRouter.EnqueueCompletion(GoodAnswer);

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeTrue();
        _host.OpenRouter.Requests.Should().HaveCount(2);
        using var retry = _host.OpenRouter.Requests.Last().Json();
        var messages = retry.RootElement.GetProperty("messages");
        messages.GetArrayLength().Should().Be(4);
        messages[3].GetProperty("content").GetString().Should().Contain("not valid JSON");
    }

    [Fact]
    public async Task A_partial_answer_twice_is_ignored_with_a_warning()
    {
        _host.OpenRouter.EnqueueCompletion("""{ "name": "ElevenLabs", "package": "elevenlabs-mcp" }""");
        _host.OpenRouter.EnqueueCompletion("Sorry, I cannot help with that.");

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeFalse();
        analysis.Package.Should().Be("elevenlabs-mcp");
        analysis.Env.Should().NotBeEmpty();
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("could not be used").And.Contain("rule-based");
        _host.OpenRouter.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_rate_limit_gives_a_warning_without_retrying()
    {
        _host.OpenRouter.EnqueueError(429, "Rate limit exceeded: free-models-per-min");

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeFalse();
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("rate limited").And.Contain("429");
        _host.OpenRouter.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task An_error_body_gives_a_warning_with_the_providers_message()
    {
        _host.OpenRouter.EnqueueError(400, "This model does not support structured outputs");

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeFalse();
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("400").And.Contain("does not support structured outputs");
    }

    [Fact]
    public async Task A_server_error_is_retried_once_then_reported()
    {
        _host.OpenRouter.EnqueueError(502, "Upstream provider error");
        _host.OpenRouter.EnqueueRaw(502, "<html><body>Bad gateway</body></html>");

        var analysis = await _host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeFalse();
        analysis.Warnings.Should().ContainSingle().Which.Should().Contain("rule-based");
        _host.OpenRouter.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Without_any_key_the_model_is_not_asked()
    {
        await using var host = await AnalyzerHost.StartAsync(_repositories.Root);
        host.Registries.AddPypi("elevenlabs-mcp", "0.9.1");

        var analysis = await host.AnalyzeAsync(Url);

        analysis.LlmUsed.Should().BeFalse();
        analysis.Warnings.Should().BeEmpty();
        host.OpenRouter.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task The_model_can_be_chosen_with_openrouter_model()
    {
        await using var host = await AnalyzerHost.StartAsync(_repositories.Root, openRouterApiKey: "sk-or-system",
            settings: new Dictionary<string, string?> { ["OPENROUTER_MODEL"] = "openai/gpt-5-mini" });
        host.Registries.AddPypi("elevenlabs-mcp", "0.9.1");
        host.OpenRouter.EnqueueCompletion(GoodAnswer);

        await host.AnalyzeAsync(Url);

        using var body = host.OpenRouter.Requests.Single().Json();
        body.RootElement.GetProperty("model").GetString().Should().Be("openai/gpt-5-mini");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }
}
