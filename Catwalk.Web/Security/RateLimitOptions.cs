namespace Catwalk.Web.Security;

/// <summary>Requests per minute per token (or per IP without one) [CATWALK_RATE_LIMIT_ANALYZE, CATWALK_RATE_LIMIT_DEPLOY,
/// CATWALK_RATE_LIMIT_SIGN_IN, CATWALK_RATE_LIMIT_OAUTH_REGISTER (per IP)].</summary>
public sealed class RateLimitOptions
{
    public const string AnalyzeVariable = "CATWALK_RATE_LIMIT_ANALYZE";
    public const string DeployVariable = "CATWALK_RATE_LIMIT_DEPLOY";
    public const string SignInVariable = "CATWALK_RATE_LIMIT_SIGN_IN";
    public const string RegisterClientVariable = "CATWALK_RATE_LIMIT_OAUTH_REGISTER";

    /// <summary>Analyses are slow and may spend OpenRouter credit.</summary>
    public int AnalyzePerMinute { get; set; } = 10;

    /// <summary>Each creation starts a machine.</summary>
    public int DeployPerMinute { get; set; } = 10;

    /// <summary>Sign-in attempts, against password guessing from one address (Identity's lockout covers one account).</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>OAuth dynamic client registrations (unauthenticated by design), per IP.</summary>
    public int RegisterClientPerMinute { get; set; } = 10;
}
