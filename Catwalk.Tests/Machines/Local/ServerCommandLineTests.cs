using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Machines.Local;

public sealed class ServerCommandLineTests
{
    private static readonly LocalRuntimeOptions Options = new() { NpxCommand = "npx", UvxCommand = "uvx", WorkingDirectory = "/srv" };

    [Theory]
    [InlineData("@modelcontextprotocol/server-everything", null, "@modelcontextprotocol/server-everything")]
    [InlineData("@modelcontextprotocol/server-everything", "2026.8.31", "@modelcontextprotocol/server-everything@2026.8.31")]
    [InlineData("mcp-server-fetch", "latest", "mcp-server-fetch@latest")]
    public void An_npm_package_runs_with_npx_yes_and_the_package_after_the_end_of_options(string package, string? version, string packageSpec)
    {
        var commandLine = ServerCommandLine.For(Spec(PackageRuntime.Npm, package, version), Options);

        commandLine.FileName.Should().Be("npx");
        commandLine.Arguments.Should().Equal("-y", "--", packageSpec);
    }

    [Fact]
    public void A_pypi_package_runs_with_uvx()
    {
        var commandLine = ServerCommandLine.For(Spec(PackageRuntime.Pypi, "mcp-server-fetch", null), Options);

        commandLine.FileName.Should().Be("uvx");
        commandLine.Arguments.Should().Equal("mcp-server-fetch");
    }

    [Fact]
    public void A_pinned_pypi_package_runs_with_uvx_from_the_exact_requirement()
    {
        var commandLine = ServerCommandLine.For(Spec(PackageRuntime.Pypi, "mcp-server-fetch", "2025.4.7"), Options);

        commandLine.Arguments.Should().Equal("--from", "mcp-server-fetch==2025.4.7", "mcp-server-fetch");
    }

    [Fact]
    public void Server_arguments_follow_the_package_with_credentials_filled_in_only_here()
    {
        var spec = Spec(PackageRuntime.Npm, "pkg", null) with
        {
            Environment = new Dictionary<string, string> { ["API_KEY"] = "k; $(x)" },
            Arguments = ["--stdio", "--api-key=${API_KEY}"],
        };

        ServerCommandLine.For(spec, Options).Arguments.Should().Equal("-y", "--", "pkg", "--stdio", "--api-key=k; $(x)");
        ServerCommandLine.For(Spec(PackageRuntime.Pypi, "mcp-x", "1.0") with { Arguments = ["stdio"] }, Options).Arguments
            .Should().Equal("--from", "mcp-x==1.0", "mcp-x", "stdio");
        ServerCommandLine.For(Spec(PackageRuntime.Pypi, "mcp-x", null) with { Arguments = ["stdio"] }, Options).Arguments
            .Should().Equal("mcp-x", "stdio");
    }

    [Fact]
    public void An_argument_with_a_line_break_or_an_unknown_reference_never_starts_a_process()
    {
        var broken = () => ServerCommandLine.For(Spec(PackageRuntime.Npm, "pkg", null) with { Arguments = ["a\nb"] }, Options);
        var unknown = () => ServerCommandLine.For(Spec(PackageRuntime.Npm, "pkg", null) with { Arguments = ["${MISSING}"] }, Options);

        broken.Should().Throw<ArgumentException>().WithMessage("*line break*");
        unknown.Should().Throw<ArgumentException>().WithMessage("*${MISSING}*");
    }

    private static MachineSpec Spec(PackageRuntime runtime, string package, string? version) =>
        new(Guid.NewGuid(), package, runtime, version, new Dictionary<string, string>());
}
