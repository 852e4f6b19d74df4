using System.Net;
using Betalgo.Ranul.OpenAI;
using Betalgo.Ranul.OpenAI.Managers;
using Betalgo.Ranul.OpenAI.ObjectModels.RequestModels;
using Catwalk.Core.Analysis.Reading;
using Catwalk.Core.GitHub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>
/// Asks a model on OpenRouter (chat completions, through Betalgo.Ranul.OpenAI) to review the deterministic result
/// against the repository's files, with a strict JSON schema. A malformed or partial answer is retried once, then
/// ignored with a warning; HTTP errors (429, error bodies) give a warning and the deterministic result stands.
/// </summary>
internal sealed partial class OpenRouterAnalyst(IHttpClientFactory httpClientFactory, IOptions<OpenRouterOptions> options, ILogger<OpenRouterAnalyst> logger)
{
    public const string HttpClientName = "openrouter";

    public string Model => options.Value.Model;

    public async Task<LlmOutcome> ReviewAsync(RepositorySnapshot snapshot, AnalysisDraft draft, string apiKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (baseDomain, apiVersion) = SplitBaseUrl(settings.BaseUrl);
        using var http = httpClientFactory.CreateClient(HttpClientName);
        using var service = new OpenAIService(new OpenAIOptions { ApiKey = apiKey, BaseDomain = baseDomain, ApiVersion = apiVersion }, http);

        var messages = new List<ChatMessage>
        {
            ChatMessage.FromSystem(LlmPrompt.System),
            ChatMessage.FromUser(LlmPrompt.UserMessage(snapshot, draft, settings.PromptCharacterBudget)),
        };

        string? lastError = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var request = new ChatCompletionCreateRequest
            {
                Model = settings.Model,
                Messages = messages,
                Temperature = 0,
                MaxTokens = 4_000,
                ResponseFormat = new ResponseFormat
                {
                    Type = Betalgo.Ranul.OpenAI.Contracts.Enums.ResponseFormat.JsonSchema,
                    JsonSchema = new JsonSchema { Name = "repository_analysis", Strict = true, Schema = LlmPrompt.Schema() },
                },
            };

            Betalgo.Ranul.OpenAI.ObjectModels.ResponseModels.ChatCompletionCreateResponse response;
            try
            {
                response = await service.ChatCompletion.CreateCompletion(request, cancellationToken: cancellationToken);
            }
            catch (OpenRouterRequestException ex)
            {
                LogRejected(logger, settings.Model, (int)ex.Status, ex.Message);
                return new LlmOutcome(null, Rejection(ex.Status, ex.Message));
            }
            catch (Exception ex) when (UpstreamFailure.IsTransport(ex, cancellationToken) || ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
            {
                LogFailed(logger, settings.Model, ex.GetType().Name, ex.Message);
                return new LlmOutcome(null, $"The language model could not be reached ({ex.Message.TrimEnd('.')}); this is the rule-based analysis only.");
            }

            if (!response.Successful)
            {
                LogRejected(logger, settings.Model, (int)response.HttpStatusCode, response.Error?.Message ?? "no details");
                return new LlmOutcome(null, Rejection(response.HttpStatusCode, response.Error?.Message ?? "no details"));
            }

            var content = response.Choices?.FirstOrDefault()?.Message?.Content;
            var answer = LlmAnswerParser.Parse(content, out lastError);
            if (answer is not null)
            {
                return new LlmOutcome(answer, null);
            }

            LogMalformed(logger, settings.Model, attempt, lastError ?? "unknown");
            messages.Add(ChatMessage.FromAssistant(content ?? ""));
            messages.Add(ChatMessage.FromUser($"That answer could not be used: {lastError}. Reply again with only the JSON object that follows the schema."));
        }

        return new LlmOutcome(null, $"The language model's answer could not be used twice in a row ({lastError}); this is the rule-based analysis only.");
    }

    private static string Rejection(HttpStatusCode status, string message) => status switch
    {
        HttpStatusCode.TooManyRequests => "The language model is rate limited right now (OpenRouter answered 429); this is the rule-based analysis only. Try again later for descriptions and a second opinion.",
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"OpenRouter rejected the API key ({(int)status}); this is the rule-based analysis only.",
        HttpStatusCode.PaymentRequired => "The OpenRouter account has no credits left (402); this is the rule-based analysis only.",
        _ => $"The language model answered with an error ({(int)status}: {message.TrimEnd('.')}); this is the rule-based analysis only.",
    };

    /// <summary>Betalgo composes BaseDomain + ApiVersion + "/chat/completions": https://openrouter.ai/api/v1 → ("https://openrouter.ai/api/", "v1").</summary>
    internal static (string BaseDomain, string ApiVersion) SplitBaseUrl(Uri baseUrl)
    {
        var text = baseUrl.AbsoluteUri.TrimEnd('/');
        var slash = text.LastIndexOf('/');
        var authorityEnd = text.IndexOf("//", StringComparison.Ordinal) + 2;
        if (slash <= authorityEnd)
        {
            return (text + "/", "v1");
        }

        return (text[..(slash + 1)], text[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenRouter call to {Model} failed: {ExceptionType}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenRouter call to {Model} was rejected with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string model, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenRouter model {Model} gave an unusable answer on attempt {Attempt}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string model, int attempt, string reason);
}
