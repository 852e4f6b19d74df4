namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The last step before a request leaves for a Fly machine: replaces whatever a client sent as
/// <see cref="FlyMachineConfigs.MachineSecretHeader"/> with the machine's current secret, read when the request is sent
/// (so a rotation is honoured without the forwarder knowing about it).
/// </summary>
internal sealed class FlyMachineSecretHandler(string machineId, FlyMachineSecrets secrets) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(FlyMachineConfigs.MachineSecretHeader);
        if (await secrets.GetAsync(machineId, cancellationToken) is { } secret)
        {
            request.Headers.TryAddWithoutValidation(FlyMachineConfigs.MachineSecretHeader, secret);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
