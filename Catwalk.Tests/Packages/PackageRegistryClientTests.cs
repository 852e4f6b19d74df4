using Catwalk.Core.Packages;
using Catwalk.Tests.Analysis;

namespace Catwalk.Tests.Packages;

public sealed class PackageRegistryClientTests : IAsyncLifetime
{
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await AnalyzerHost.StartAsync(Path.GetTempPath());

    private IPackageRegistry Registry => _host.Services.GetRequiredService<IPackageRegistry>();

    [Fact]
    public async Task A_scoped_npm_package_is_found_with_its_latest_version_and_executables()
    {
        _host.Registries.AddNpm("@brave/brave-search-mcp-server", "2.0.1", "brave-search-mcp-server");

        var check = await Registry.CheckAsync(PackageRuntime.Npm, "@brave/brave-search-mcp-server", TestContext.Current.CancellationToken);

        check.Should().BeEquivalentTo(new { Exists = true, LatestVersion = "2.0.1" });
        check.Executables.Should().Equal("brave-search-mcp-server");
        _host.Registries.Requests.Should().ContainSingle().Which.Should().Be("/npm/@brave%2Fbrave-search-mcp-server");
    }

    [Fact]
    public async Task An_npm_package_without_bin_has_no_executables()
    {
        _host.Registries.Npm["left-pad"] = ("1.3.0", []);

        var check = await Registry.CheckAsync(PackageRuntime.Npm, "left-pad", TestContext.Current.CancellationToken);

        check.Exists.Should().BeTrue();
        check.Executables.Should().BeEmpty();
    }

    [Fact]
    public async Task A_pypi_project_is_found_under_its_normalized_name()
    {
        _host.Registries.AddPypi("mcp-atlassian", "0.11.9");

        var check = await Registry.CheckAsync(PackageRuntime.Pypi, "mcp_atlassian", TestContext.Current.CancellationToken);

        check.Should().BeEquivalentTo(new { Exists = true, LatestVersion = "0.11.9" });
    }

    [Fact]
    public async Task Unknown_packages_do_not_exist()
    {
        var npm = await Registry.CheckAsync(PackageRuntime.Npm, "no-such-package", TestContext.Current.CancellationToken);
        var pypi = await Registry.CheckAsync(PackageRuntime.Pypi, "no-such-project", TestContext.Current.CancellationToken);

        npm.Exists.Should().BeFalse();
        pypi.Exists.Should().BeFalse();
    }

    [Fact]
    public async Task An_invalid_name_never_reaches_the_registry()
    {
        var act = () => Registry.CheckAsync(PackageRuntime.Npm, "../../etc/passwd", TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*not a valid npm package name*");
        _host.Registries.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unavailable_registry_is_reported_with_its_name()
    {
        _host.Registries.Unavailable = true;

        var act = () => Registry.CheckAsync(PackageRuntime.Pypi, "kagimcp", TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<PackageRegistryUnavailableException>().WithMessage("PyPI answered 503*kagimcp*");
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
