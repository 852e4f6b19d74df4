using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;

namespace Catwalk.Core.Deployments;

/// <summary>Builds what a runtime needs from a deployment and its decrypted credentials.</summary>
public sealed class MachineSpecFactory(ICredentialVault vault)
{
    public async Task<MachineSpec> CreateAsync(Deployment deployment, CancellationToken cancellationToken) =>
        new(deployment.Id, deployment.Package, deployment.Runtime, deployment.PackageVersion,
            await vault.ReadForMachineAsync(deployment.Id, cancellationToken))
        {
            Arguments = deployment.Arguments,
        };
}
