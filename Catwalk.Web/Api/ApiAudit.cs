using System.Security.Claims;
using Catwalk.Core.Accounts;
using Catwalk.Web.Security;

namespace Catwalk.Web.Api;

/// <summary>Records what API callers did (never a secret), naming the personal token they used.</summary>
internal sealed class ApiAudit(AuditLog log)
{
    public Task RecordAsync(ClaimsPrincipal user, string action, string? target, CancellationToken cancellationToken) =>
        log.RecordAsync(user.FindFirstValue(ClaimTypes.NameIdentifier), action, target,
            $"API, token '{user.FindFirstValue(PersonalApiTokenDefaults.TokenNameClaim)}'", cancellationToken);
}
