using System.Net;
using System.Text.Json;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>
/// Turns OpenRouter's error answers into <see cref="OpenRouterRequestException"/> before the SDK reads them:
/// OpenRouter's <c>{"error":{"code":429,"message":…}}</c> has a numeric code the SDK cannot deserialize, errors may
/// come with a 200 status, and gateways may answer with HTML.
/// </summary>
internal sealed class OpenRouterErrorHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = ErrorMessage(body);
        if (response.IsSuccessStatusCode && error is null)
        {
            // The body was read to look for an error; hand the SDK a fresh copy.
            var content = new StringContent(body, System.Text.Encoding.UTF8);
            content.Headers.ContentType = response.Content.Headers.ContentType;
            response.Content = content;
            return response;
        }

        var status = response.IsSuccessStatusCode ? HttpStatusCode.BadGateway : response.StatusCode;
        response.Dispose();
        throw new OpenRouterRequestException(status, error ?? Describe(body));
    }

    /// <summary>OpenRouter's error message, or null when the body is not an error object.</summary>
    private static string? ErrorMessage(string body)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind switch
                {
                    JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString(),
                    JsonValueKind.String => error.GetString(),
                    _ => error.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON: the caller describes it.
        }

        return null;
    }

    private static string Describe(string body)
    {
        var text = body.Trim();
        if (text.StartsWith('<'))
        {
            return "an HTML page instead of JSON";
        }

        return text.Length == 0 ? "an empty body" : text.Length <= 200 ? text : text[..200] + "…";
    }
}
