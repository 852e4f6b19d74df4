using Catwalk.Web.Mcp;
using Microsoft.AspNetCore.Http;

namespace Catwalk.Tests.Mcp;

public sealed class OriginPolicyTests
{
    private static bool Allowed(string host, string? origin, McpForwardingOptions? options = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return OriginPolicy.IsAllowed(context.Request, options ?? new McpForwardingOptions());
    }

    [Theory]
    [InlineData("catwalk.example", null, true)]
    [InlineData("catwalk.example", "https://catwalk.example", true)]
    [InlineData("catwalk.example", "https://evil.example", false)]
    [InlineData("localhost:5050", "https://evil.example", false)]
    [InlineData("localhost:5050", "http://localhost:6274", true)]
    [InlineData("catwalk.example", "null", false)]
    public void Origins_are_checked_against_the_app_and_loopback(string host, string? origin, bool allowed) =>
        Allowed(host, origin).Should().Be(allowed);

    [Fact]
    public void Configured_origins_and_the_public_url_are_allowed()
    {
        var options = new McpForwardingOptions { AllowedOrigins = ["https://inspector.example"], PublicUrl = new Uri("https://public.example") };

        Allowed("internal:8080", "https://inspector.example", options).Should().BeTrue();
        Allowed("internal:8080", "https://public.example", options).Should().BeTrue();
        Allowed("internal:8080", "https://other.example", options).Should().BeFalse();
    }
}
