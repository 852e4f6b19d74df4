using Catwalk.Core.Analysis;

namespace Catwalk.Tests.Analysis;

public sealed class EnvVarHeuristicsTests
{
    [Theory]
    [InlineData("NODE_ENV")]
    [InlineData("PATH")]
    [InlineData("HTTPS_PROXY")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("FASTMCP_LOG_LEVEL")]
    [InlineData("LOG_LEVEL")]
    [InlineData("AGNOST_LOG_LEVEL")]
    [InlineData("PORT")]
    [InlineData("MCP_PORT")]
    [InlineData("BRAVE_MCP_TRANSPORT")]
    [InlineData("HTTP_HOST")]
    [InlineData("ENABLE_HTTP_SERVER")]
    [InlineData("ENABLE_UNSAFE_SSE_TRANSPORT")]
    [InlineData("npm_package_version")]
    [InlineData("UV_PYTHON_PREFERENCE")]
    [InlineData("TEST_API_KEY")]
    public void Platform_logging_test_and_transport_variables_are_not_server_configuration(string name) =>
        EnvVarHeuristics.IsServerConfiguration(name).Should().BeFalse();

    [Theory]
    [InlineData("BRAVE_API_KEY")]
    [InlineData("CHROMA_HOST")]
    [InlineData("CHROMA_PORT")]
    [InlineData("BLENDER_PORT")]
    [InlineData("KUBECONFIG")]
    [InlineData("JIRA_HTTP_PROXY")]
    [InlineData("ENABLE_TELEMETRY")]
    [InlineData("MCP_SESSION_ID")]
    public void The_servers_own_settings_are_configuration(string name) =>
        EnvVarHeuristics.IsServerConfiguration(name).Should().BeTrue();

    [Theory]
    [InlineData("BRAVE_API_KEY", true)]
    [InlineData("API_KEY_21ST", true)]
    [InlineData("K8S_TOKEN", true)]
    [InlineData("ATLASSIAN_OAUTH_CLIENT_SECRET", true)]
    [InlineData("JIRA_CLIENT_KEY_PASSWORD", true)]
    [InlineData("PRIVATE_KEY", true)]
    [InlineData("MCP_MONGODB_URI", true)]
    [InlineData("DATABASE_URL", true)]
    [InlineData("KUBECONFIG_YAML", true)]
    [InlineData("CHROMA_CUSTOM_AUTH_CREDENTIALS", true)]
    [InlineData("GMAIL_CREDENTIALS_PATH", false)]
    [InlineData("MASK_SECRETS", false)]
    [InlineData("KUBECONFIG_PATH", false)]
    [InlineData("ATLASSIAN_OAUTH_CLIENT_ID", false)]
    [InlineData("JIRA_ISSUE_KEY_PATTERN", false)]
    [InlineData("MAX_TOKENS", false)]
    [InlineData("TOKEN_LIMIT", false)]
    [InlineData("CHROMA_SSL", false)]
    [InlineData("AUTH_TYPE", false)]
    public void Secret_names_are_recognised_by_their_words(string name, bool secret) =>
        EnvVarHeuristics.LooksSecret(name, null).Should().Be(secret);

    [Fact]
    public void A_description_that_says_path_overrides_a_secret_looking_name() =>
        EnvVarHeuristics.LooksSecret("SSH_KEY", "Path to the private key file").Should().BeFalse();

    [Theory]
    [InlineData("/path/to/client-key.pem", true)]
    [InlineData("~/.config/app/credentials.json", true)]
    [InlineData("https://api.example.com", false)]
    [InlineData("sk-123", false)]
    public void File_path_values_are_recognised(string value, bool path) =>
        EnvVarHeuristics.LooksLikeFilePath(value).Should().Be(path);
}
