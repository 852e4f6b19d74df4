namespace Catwalk.Core.Deployments;

/// <summary>Input that cannot become a deployment, with a message per field (for forms and problem details).</summary>
public sealed class DeploymentValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The deployment is not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The deployment does not exist (or is not the caller's to see).</summary>
public sealed class DeploymentNotFoundException(Guid id) : Exception($"Deployment {id} was not found.")
{
    public Guid DeploymentId { get; } = id;
}

/// <summary>The owner already has a deployment of this name: names key the <c>mcpServers</c> snippet, so they are unique per owner.</summary>
public sealed class DeploymentNameTakenException(string name, Guid existingId)
    : Exception(DeploymentNames.TakenMessage(name))
{
    public string Name { get; } = name;

    public Guid ExistingId { get; } = existingId;
}
