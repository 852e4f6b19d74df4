using Catwalk.Core.Packages;

namespace Catwalk.Core.Deployments;

/// <summary>What it takes to create a deployment. <paramref name="Environment"/> holds credential values in plaintext
/// only on their way into the vault.</summary>
public sealed record CreateDeploymentRequest(
    string OwnerId,
    string Name,
    string? RepoUrl,
    string Package,
    PackageRuntime Runtime,
    string? Version,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>What follows the package on the server's command line; <c>${NAME}</c> references a credential.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public override string ToString() =>
        $"CreateDeploymentRequest {{ Name = {Name}, Package = {Package}, Runtime = {Runtime}, Version = {Version}, Arguments = {Arguments.Count}, Environment = [{string.Join(", ", Environment.Keys)}] }}";
}

/// <summary>A new deployment and its access token, which is shown this once and never stored.</summary>
public sealed record CreatedDeployment(Deployment Deployment, string AccessToken);
