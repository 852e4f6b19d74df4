using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Security;

/// <summary>
/// Fixed one-minute windows: analysis and deployment creation per personal token (per IP before authentication),
/// sign-in form posts (<c>POST /account/login</c>) and OAuth client registrations per IP. A refusal is 429 with <c>Retry-After</c> and problem details.
/// </summary>
internal static class ApiRateLimits
{
    public const string AnalyzePolicy = "catwalk-analyze";
    public const string DeployPolicy = "catwalk-deploy";
    public const string RegisterClientPolicy = "catwalk-oauth-register";
    public const string SignInPath = "/account/login";

    public static IServiceCollection AddCatwalkRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<RateLimitOptions>, RateLimitOptionsSetup>();

        services.AddRateLimiter();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            o.AddPolicy(AnalyzePolicy, context => PerCaller(context, limits.Value.AnalyzePerMinute));
            o.AddPolicy(DeployPolicy, context => PerCaller(context, limits.Value.DeployPerMinute));
            o.AddPolicy(RegisterClientPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "oauth-register:" + AddressOf(context), _ => PerMinute(limits.Value.RegisterClientPerMinute)));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + AddressOf(context), _ => PerMinute(limits.Value.SignInPerMinute))
                : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && string.Equals(request.Path.Value?.TrimEnd('/'), SignInPath, StringComparison.OrdinalIgnoreCase);

    private static RateLimitPartition<string> PerCaller(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.User.FindFirstValue(PersonalApiTokenDefaults.TokenIdClaim) is { } tokenId ? "token:" + tokenId : "ip:" + AddressOf(context),
            _ => PerMinute(perMinute));

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var what = IsSignIn(context.Request) ? "sign-in attempts from this address"
            : context.Request.Path.StartsWithSegments(OAuth.OAuthPaths.Register) ? "client registrations from this address"
            : "requests of this kind with this token";
        await TypedResults.Problem(
                detail: $"Too many {what}; try again in {seconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests")
            .ExecuteAsync(context);
    }
}
