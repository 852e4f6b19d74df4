using Catwalk.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Security;

/// <summary>Binds <see cref="RateLimitOptions"/>: requests per minute, whole numbers of at least 1.</summary>
internal sealed class RateLimitOptionsSetup(IConfiguration configuration) : IConfigureOptions<RateLimitOptions>
{
    public void Configure(RateLimitOptions options)
    {
        var settings = new SettingReader(configuration);
        options.AnalyzePerMinute = settings.Count(RateLimitOptions.AnalyzeVariable) ?? options.AnalyzePerMinute;
        options.DeployPerMinute = settings.Count(RateLimitOptions.DeployVariable) ?? options.DeployPerMinute;
        options.SignInPerMinute = settings.Count(RateLimitOptions.SignInVariable) ?? options.SignInPerMinute;
        options.RegisterClientPerMinute = settings.Count(RateLimitOptions.RegisterClientVariable) ?? options.RegisterClientPerMinute;
        settings.ThrowIfInvalid<RateLimitOptions>();
    }
}
