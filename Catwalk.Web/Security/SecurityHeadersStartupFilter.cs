namespace Catwalk.Web.Security;

/// <summary>Puts <see cref="SecurityHeaders"/> first in the pipeline, so that answers written by earlier middleware
/// (authentication challenges, the developer exception page, static files) carry the headers too.</summary>
internal sealed class SecurityHeadersStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<SecurityHeaders>();
        next(app);
    };
}
