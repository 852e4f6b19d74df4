using System.Security.Claims;
using Catwalk.Web.Security;

namespace Catwalk.Web.Api;

/// <summary>How the audit log names an API caller's actions: the personal token they used (never a secret).</summary>
internal static class ApiAudit
{
    public static string DetailOf(ClaimsPrincipal user) => $"API, token '{user.FindFirstValue(PersonalApiTokenDefaults.TokenNameClaim)}'";
}
