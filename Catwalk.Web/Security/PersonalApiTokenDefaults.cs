namespace Catwalk.Web.Security;

/// <summary>Names for the API's bearer scheme (personal API tokens only) and the policies built on it.</summary>
public static class PersonalApiTokenDefaults
{
    public const string Scheme = "CatwalkPersonalApiToken";

    /// <summary>Signed in with a personal API token (cookies never count for <c>/api</c>).</summary>
    public const string UserPolicy = "CatwalkApiUser";

    /// <summary>Signed in with a personal API token of a user in the Admin role.</summary>
    public const string AdminPolicy = "CatwalkApiAdmin";

    public const string TokenPrefix = "cwp_";

    public const string TokenIdClaim = "catwalk:token_id";

    public const string TokenNameClaim = "catwalk:token_name";
}
