using System.Collections;
using Catwalk.Core.Machines.Local;

namespace Catwalk.Tests.Machines.Local;

public sealed class ChildProcessEnvironmentTests
{
    private static readonly Hashtable Host = new()
    {
        ["PATH"] = "/usr/bin:/bin",
        ["HOME"] = "/home/catwalk",
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
        ["TMPDIR"] = "/tmp",
        ["USER"] = "catwalk",
        ["NODE_EXTRA_CA_CERTS"] = "/etc/ssl/ca.pem",
        ["npm_config_cache"] = "/home/catwalk/.npm",
        ["UV_CACHE_DIR"] = "/home/catwalk/.cache/uv",
        ["XDG_CONFIG_HOME"] = "/home/catwalk/.config",
        ["ENCRYPTION_KEY"] = "host-encryption-key",
        ["DATABASE_URL"] = "postgres://catwalk:secret@db/catwalk",
        ["FLY_API_TOKEN"] = "fly-token",
        ["OPENROUTER_API_KEY"] = "openrouter-key",
        ["ASPNETCORE_URLS"] = "http://+:8080",
        ["NODE_AUTH_TOKEN"] = "npm-publish-token",
        ["npm_config__authToken"] = "npm-auth-token",
        ["UV_PUBLISH_PASSWORD"] = "pypi-password",
        ["BASH_FUNC_x%%"] = "() { evil; }",
        ["XDG_EVIL"] = "() { also a function; }",
    };

    [Fact]
    public void The_child_gets_the_allowlisted_host_variables_and_the_credentials_and_none_of_the_host_secrets()
    {
        var environment = ChildProcessEnvironment.Build(Host, new Dictionary<string, string> { ["GITHUB_TOKEN"] = "deployment-credential" });

        environment.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["HOME"] = "/home/catwalk",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
            ["TMPDIR"] = "/tmp",
            ["USER"] = "catwalk",
            ["NODE_EXTRA_CA_CERTS"] = "/etc/ssl/ca.pem",
            ["npm_config_cache"] = "/home/catwalk/.npm",
            ["UV_CACHE_DIR"] = "/home/catwalk/.cache/uv",
            ["XDG_CONFIG_HOME"] = "/home/catwalk/.config",
            ["GITHUB_TOKEN"] = "deployment-credential",
        });
    }

    [Fact]
    public void A_credential_overrides_a_host_variable_of_the_same_name()
    {
        var environment = ChildProcessEnvironment.Build(Host, new Dictionary<string, string> { ["HOME"] = "/srv/server-home" });

        environment["HOME"].Should().Be("/srv/server-home");
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("LC_CTYPE", true)]
    [InlineData("npm_config_registry", true)]
    [InlineData("SystemRoot", true)]
    [InlineData("DATABASE_URL", false)]
    [InlineData("ENCRYPTION_KEY", false)]
    [InlineData("NODE_AUTH_TOKEN", false)]
    [InlineData("UV_INDEX_PRIVATE_PASSWORD", false)]
    [InlineData("PATHOLOGICAL", false)]
    public void Only_allowlisted_names_pass(string name, bool allowed) =>
        ChildProcessEnvironment.IsAllowed(name).Should().Be(allowed);
}
