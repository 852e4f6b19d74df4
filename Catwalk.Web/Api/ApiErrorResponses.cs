using System.Text.Json;
using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Catwalk.Web.Api;

/// <summary>
/// Keeps every <c>/api</c> error a problem-details body (RFC 9457) and never an HTML page or a stack trace: unreadable
/// bodies and unexpected exceptions are caught here, and a bodyless error status (an unknown route, a binding failure)
/// gets a problem body instead of the app's not-found page.
/// </summary>
internal sealed partial class ApiErrorResponses(RequestDelegate next, IProblemDetailsService problems, ILogger<ApiErrorResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var reason = ex.InnerException is JsonException json ? " " + json.Message : "";
            await WriteAsync(context, ex.StatusCode, "The request could not be read",
                $"Send a JSON body of the documented shape (see /openapi/v1.json).{reason}");
            return;
        }
        catch (DeploymentNotFoundException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "Deployment not found",
                $"There is no deployment {ex.DeploymentId} among yours. List them with GET /api/deployments.");
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailed(logger, ex, context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "Something went wrong",
                "The request failed on the server; the error was logged with this trace id. Try again, or report it with the trace id.");
            return;
        }

        if (context.Response is { HasStarted: false, StatusCode: >= 400, ContentLength: null } response && string.IsNullOrEmpty(response.ContentType))
        {
            var (title, detail) = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ("Not found", "There is no such API route; see /openapi/v1.json for every endpoint."),
                StatusCodes.Status405MethodNotAllowed => ("Method not allowed", "This route does not take this method; see /openapi/v1.json."),
                StatusCodes.Status400BadRequest => ("The request could not be read", "Send a JSON body of the documented shape (see /openapi/v1.json)."),
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'."),
                _ => ("Request failed", null),
            };
            await WriteAsync(context, response.StatusCode, title, detail);
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string? detail)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}
