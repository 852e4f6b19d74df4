using Catwalk.Core.Deployments;

namespace Catwalk.Core.Credentials;

/// <summary>One environment variable of a deployment, its value kept only as a Fernet token.</summary>
public sealed class StoredCredential
{
    public long Id { get; set; }

    public Guid DeploymentId { get; set; }

    public Deployment? Deployment { get; set; }

    public required string Name { get; set; }

    public required string FernetToken { get; set; }
}
