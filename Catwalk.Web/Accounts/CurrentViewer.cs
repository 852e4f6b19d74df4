using System.Security.Claims;
using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Components.Authorization;

namespace Catwalk.Web.Accounts;

/// <summary>The signed-in user of this circuit as Core's <see cref="Viewer"/>; null when nobody is signed in.</summary>
public sealed class CurrentViewer(AuthenticationStateProvider authentication)
{
    public async Task<Viewer?> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return From(state.User);
    }

    public static Viewer? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            ? new Viewer(id, user.IsInRole(Viewer.AdminRole))
            : null;
}
