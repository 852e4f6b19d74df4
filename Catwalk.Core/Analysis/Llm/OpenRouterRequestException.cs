using System.Net;

namespace Catwalk.Core.Analysis.Llm;

/// <summary>OpenRouter answered with an error (status and OpenRouter's own message).</summary>
public sealed class OpenRouterRequestException : Exception
{
    public OpenRouterRequestException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public OpenRouterRequestException()
    {
    }

    public OpenRouterRequestException(string message)
        : base(message)
    {
    }

    public OpenRouterRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }
}
