using Catwalk.Core.Analysis;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Analysis;

/// <summary>
/// Every corpus repository, served by the fake GitHub, yields a sensible analysis with sources. The fake registry
/// knows only the labelled packages, so an analysis that settles on any other name fails.
/// </summary>
public sealed class CorpusAnalysisTests : IAsyncLifetime
{
    private AnalyzerHost _host = null!;

    public static TheoryData<string> Cases() => new(Corpus.Cases().Select(c => c.Id));

    public async ValueTask InitializeAsync()
    {
        _host = await AnalyzerHost.StartAsync(Corpus.Repositories);
        foreach (var label in Corpus.DevelopmentLabels())
        {
            if (label.Runtime == "npm")
            {
                _host.Registries.AddNpm(label.Package, "9.9.9");
            }
            else
            {
                _host.Registries.AddPypi(label.Package, "9.9.9");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_corpus_repository_yields_a_sensible_analysis_with_sources(string id)
    {
        var corpusCase = Corpus.Cases().Single(c => c.Id == id);
        var label = Corpus.DevelopmentLabels().SingleOrDefault(l => l.Id == id);

        var analysis = await _host.AnalyzeAsync(corpusCase.RepoUrl);

        analysis.RepoUrl.Should().Be(corpusCase.RepoUrl.ToLowerInvariant());
        analysis.Name.Should().NotBeNullOrWhiteSpace();
        analysis.Version.Should().Be("9.9.9");
        analysis.Sources.Should().Contain(s => s.Path.StartsWith("README", StringComparison.OrdinalIgnoreCase));
        analysis.Sources.Should().Contain(s => s.Fields.Contains("package"));
        analysis.Env.Where(e => PackageNameRules.ValidateEnvironmentVariableName(e.Name) != null || e.Source == null).Should().BeEmpty();
        analysis.Env.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        if (label is not null)
        {
            analysis.Package.Should().Be(label.Package);
            analysis.Runtime.Should().Be(label.Runtime == "npm" ? PackageRuntime.Npm : PackageRuntime.Pypi);
            if (label.Env.Count > 0)
            {
                analysis.Env.Select(e => e.Name).Intersect(label.Env.Select(e => e.Name)).Should().NotBeEmpty();
            }
        }
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
