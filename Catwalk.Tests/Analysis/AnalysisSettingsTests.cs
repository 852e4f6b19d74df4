using Catwalk.Core.Analysis;
using Catwalk.Core.Analysis.Llm;
using Catwalk.Core.GitHub;
using Catwalk.Core.Packages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Analysis;

public sealed class AnalysisSettingsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCatwalkAnalysis(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_point_at_the_real_services()
    {
        using var services = Build([]);

        services.GetRequiredService<IOptions<GitHubOptions>>().Value.BaseUrl.Should().Be(new Uri("https://api.github.com/"));
        services.GetRequiredService<IOptions<PackageRegistryOptions>>().Value.NpmRegistryUrl.Should().Be(new Uri("https://registry.npmjs.org/"));
        services.GetRequiredService<IOptions<PackageRegistryOptions>>().Value.PypiBaseUrl.Should().Be(new Uri("https://pypi.org/"));
        var openRouter = services.GetRequiredService<IOptions<OpenRouterOptions>>().Value;
        openRouter.Should().BeEquivalentTo(new { ApiKey = (string?)null, Model = "anthropic/claude-haiku-4.5", BaseUrl = new Uri("https://openrouter.ai/api/v1") });
        services.GetRequiredService<IOptions<AnalysisOptions>>().Value.CacheTtl.Should().Be(TimeSpan.FromDays(7));
    }

    [Theory]
    [InlineData("GITHUB_API_BASE_URL", "not a url")]
    [InlineData("NPM_REGISTRY_URL", "ftp://registry.example.com")]
    [InlineData("PYPI_BASE_URL", "/relative")]
    [InlineData("OPENROUTER_BASE_URL", "openrouter.ai")]
    [InlineData("PUBLIC_URL", "localhost:5050")]
    [InlineData("OPENROUTER_MODEL", "anthropic claude")]
    [InlineData("ANALYSIS_CACHE_TTL", "a week")]
    public void A_bad_value_fails_with_a_message_naming_the_variable(string variable, string value)
    {
        using var services = Build(new Dictionary<string, string?> { [variable] = value });

        var act = () =>
        {
            _ = services.GetRequiredService<IOptions<GitHubOptions>>().Value;
            _ = services.GetRequiredService<IOptions<PackageRegistryOptions>>().Value;
            _ = services.GetRequiredService<IOptions<OpenRouterOptions>>().Value;
            _ = services.GetRequiredService<IOptions<AnalysisOptions>>().Value;
        };

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{variable}*{value}*");
    }

    [Fact]
    public void The_openrouter_base_url_is_split_the_way_the_sdk_composes_it()
    {
        OpenRouterAnalyst.SplitBaseUrl(new Uri("https://openrouter.ai/api/v1")).Should().Be(("https://openrouter.ai/api/", "v1"));
        OpenRouterAnalyst.SplitBaseUrl(new Uri("http://127.0.0.1:5001/api/v1/")).Should().Be(("http://127.0.0.1:5001/api/", "v1"));
    }
}
