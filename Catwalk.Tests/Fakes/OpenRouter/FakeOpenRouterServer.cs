using System.Collections.Concurrent;
using System.Text.Json;

namespace Catwalk.Tests.Fakes.OpenRouter;

/// <summary>
/// A loopback fake of OpenRouter's OpenAI-compatible chat completions endpoint (<c>POST /api/v1/chat/completions</c>).
/// Answers are queued by the test: a completion with some content (valid or malformed JSON), an error body with a
/// status (429, 500, 401). Requests are recorded with their headers and body.
/// </summary>
public sealed class FakeOpenRouterServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Status, string Body)> _answers = new();
    private KestrelLoopbackHost? _host;

    /// <summary>The base URL to configure as OPENROUTER_BASE_URL.</summary>
    public Uri BaseUrl => new(_host!.BaseAddress, "api/v1");

    public ConcurrentQueue<RecordedCompletionRequest> Requests { get; } = new();

    public static async Task<FakeOpenRouterServer> StartAsync()
    {
        var server = new FakeOpenRouterServer();
        server._host = await KestrelLoopbackHost.StartAsync(app => app.MapPost("/api/v1/chat/completions", server.HandleAsync));
        return server;
    }

    /// <summary>Queues a successful completion whose assistant message is <paramref name="content"/>.</summary>
    public void EnqueueCompletion(string content, string model = "anthropic/claude-haiku-4.5") =>
        _answers.Enqueue((200, JsonSerializer.Serialize(new
        {
            id = "gen-" + Guid.NewGuid().ToString("N")[..12],
            provider = "Anthropic",
            model,
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            choices = new[]
            {
                new { index = 0, logprobs = (object?)null, finish_reason = "stop", native_finish_reason = "end_turn", message = new { role = "assistant", content, refusal = (string?)null } },
            },
            usage = new { prompt_tokens = 1200, completion_tokens = 300, total_tokens = 1500 },
        })));

    /// <summary>Queues OpenRouter's error body (<c>{"error":{"code":…,"message":…}}</c>) with that HTTP status.</summary>
    public void EnqueueError(int status, string message) =>
        _answers.Enqueue((status, JsonSerializer.Serialize(new { error = new { code = status, message, metadata = new { provider_name = "Anthropic" } } })));

    /// <summary>Queues a raw body (for example something that is not JSON at all).</summary>
    public void EnqueueRaw(int status, string body) => _answers.Enqueue((status, body));

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new RecordedCompletionRequest(
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers["HTTP-Referer"].ToString(),
            context.Request.Headers["X-Title"].ToString(),
            body));
        var (status, answer) = _answers.TryDequeue(out var queued)
            ? queued
            : (500, JsonSerializer.Serialize(new { error = new { code = 500, message = "No answer queued in the fake" } }));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

public sealed record RecordedCompletionRequest(string Authorization, string Referer, string Title, string Body)
{
    public JsonDocument Json() => JsonDocument.Parse(Body);
}
