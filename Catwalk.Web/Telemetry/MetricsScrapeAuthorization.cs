using System.Security.Cryptography;
using System.Text;
using Catwalk.Core.Accounts;
using Catwalk.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Telemetry;

/// <summary>Who may scrape <c>/metrics</c>: a signed-in admin (cookie or personal API token), or whoever presents
/// CATWALK_METRICS_TOKEN as a bearer token (compared in constant time).</summary>
internal sealed class MetricsScrapeAuthorization(IOptions<ObservabilityOptions> options)
    : AuthorizationHandler<MetricsScrapeAuthorization.Requirement>
{
    public const string Policy = "metrics-scrape";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, MetricsScrapeAuthorization>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, PersonalApiTokenDefaults.Scheme)
            .AddRequirements(new Requirement()));
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
    {
        if (context.User.IsInRole(Viewer.AdminRole) || PresentsScrapeToken(context.Resource as HttpContext))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool PresentsScrapeToken(HttpContext? http)
    {
        var expected = options.Value.PrometheusToken;
        string? header = http?.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(expected) || header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    public sealed class Requirement : IAuthorizationRequirement;
}
