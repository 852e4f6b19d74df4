namespace Catwalk.Core.Accounts;

/// <summary>One security-relevant event: who did what to which target. Never holds a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The acting user; null for anonymous attempts (a failed sign-in for an unknown email).</summary>
    public string? UserId { get; set; }

    /// <summary>What happened, in kebab case: <c>sign-in</c>, <c>token-created</c>, <c>deployment-stopped</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What it happened to: an email, a token name, a deployment id.</summary>
    public string? Target { get; set; }

    public string? Detail { get; set; }
}
