namespace Catwalk.Web.Api;

/// <summary><c>POST /api/deployments</c>. Every field is nullable so that a missing one is a field-level 400, not a binding failure.</summary>
public sealed record CreateDeploymentBody(
    string? Name,
    string? RepoUrl,
    string? Package,
    string? Runtime,
    string? Version,
    Dictionary<string, string?>? Env,
    List<string?>? Args = null);

/// <summary><c>PUT /api/deployments/{id}/credentials</c>: the complete new set of credentials.</summary>
public sealed record CredentialsBody(Dictionary<string, string?>? Env);

/// <summary>The answer to a create: the only time (with rotate-token) the access token is shown.</summary>
public sealed record CreatedDeploymentResponse(Guid Id, string Name, string Status, Uri EndpointUrl, string AccessToken);

/// <summary>A deployment as the API shows it: never a credential value or the token.</summary>
public sealed record DeploymentResponse(
    Guid Id,
    string Name,
    string? RepoUrl,
    string Package,
    string Runtime,
    string? Version,
    string Status,
    string RuntimeKind,
    Uri EndpointUrl,
    IReadOnlyList<string> EnvNames,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastActivityAt,
    IReadOnlyList<string> Args);

/// <summary>The answer to rotate-token: the new token, shown this once.</summary>
public sealed record AccessTokenResponse(string AccessToken);

/// <summary>One status transition.</summary>
public sealed record DeploymentEventResponse(DateTimeOffset At, string? From, string To, string Reason, string? Detail);

/// <summary>The last lines of the server's stderr, oldest first.</summary>
public sealed record DeploymentLogsResponse(IReadOnlyList<string> Lines);
