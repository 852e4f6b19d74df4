namespace Catwalk.Core.Accounts;

/// <summary>A token just created: <see cref="Token"/> is shown to its owner this once and never again.</summary>
public sealed record IssuedApiToken(Guid Id, string Name, string Token, DateTimeOffset CreatedAt);

/// <summary>What a user may see about one of their live tokens (never the token itself).</summary>
public sealed record PersonalApiTokenInfo(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>Whom a presented token speaks for.</summary>
public sealed record ApiTokenOwner(string UserId, Guid TokenId, string TokenName);
