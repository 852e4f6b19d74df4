using Catwalk.Core.Packages;

namespace Catwalk.Core.Machines;

/// <summary>What a runtime needs to run one deployment's MCP server.</summary>
/// <param name="Environment">Decrypted credentials: they exist only on the way into the machine.</param>
public sealed record MachineSpec(
    Guid DeploymentId,
    string Package,
    PackageRuntime Runtime,
    string? Version,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>What follows the package on the command line; <c>${NAME}</c> references a credential, replaced only
    /// where the process starts (<see cref="Packages.ServerArgumentRules.Substitute"/>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Never print credential values, even by accident.</summary>
    public override string ToString() =>
        $"MachineSpec {{ DeploymentId = {DeploymentId}, Package = {Package}, Runtime = {Runtime}, Version = {Version}, Arguments = {Arguments.Count}, Environment = [{string.Join(", ", Environment.Keys)}] }}";
}
