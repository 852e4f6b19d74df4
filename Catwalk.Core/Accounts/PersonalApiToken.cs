namespace Catwalk.Core.Accounts;

/// <summary>A named personal API token of a user. Only the SHA-256 hash of the token is kept.</summary>
public sealed class PersonalApiToken
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>Upper-case hex SHA-256 of the whole token text (prefix included).</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Set once revoked; a revoked token never authenticates again.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
