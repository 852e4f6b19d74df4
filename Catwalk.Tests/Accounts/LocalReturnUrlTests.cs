using Catwalk.Web.Accounts;

namespace Catwalk.Tests.Accounts;

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/settings", "/settings")]
    [InlineData("/deployments/1?tab=logs", "/deployments/1?tab=logs")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("~/settings", "/")]
    [InlineData("settings", "/")]
    [InlineData("/\r\nLocation: https://evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public void Only_paths_on_this_site_are_followed(string? returnUrl, string followed) =>
        LocalReturnUrl.Sanitize(returnUrl).Should().Be(followed);
}
