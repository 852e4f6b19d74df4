using Microsoft.AspNetCore.Identity;

namespace Catwalk.Core.Accounts;

/// <summary>A person who signs in to Catwalk and owns deployments.</summary>
public sealed class CatwalkUser : IdentityUser
{
}
