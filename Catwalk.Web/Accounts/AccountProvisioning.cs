using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Catwalk.Web.Accounts;

/// <summary>What <see cref="AccountProvisioning.EnsureUserAsync"/> did.</summary>
internal sealed record ProvisionedUser(CatwalkUser User, bool Created, bool PromotedToAdmin);

/// <summary>A user's password or email was refused by Identity's rules.</summary>
internal sealed class AccountRejectedException(IEnumerable<string> problems)
    : Exception(string.Join(" ", problems));

/// <summary>
/// Creates users and grants the Admin role outside the pages: the start-up admin and the <c>create-user</c> verb.
/// Idempotent: an existing user keeps their password and is only promoted when asked.
/// </summary>
internal sealed class AccountProvisioning(UserManager<CatwalkUser> users, RoleManager<IdentityRole> roles, AuditLog audit)
{
    public async Task<ProvisionedUser> EnsureUserAsync(string email, string? password, bool admin, string source, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        var created = false;
        if (user is null)
        {
            if (string.IsNullOrEmpty(password))
            {
                throw new AccountRejectedException([$"There is no user {email}; a password is needed to create one."]);
            }

            user = new CatwalkUser { UserName = email, Email = email, EmailConfirmed = true };
            await CheckPasswordAsync(user, password);
            Succeeded(await users.CreateAsync(user, password));
            created = true;
            await audit.RecordAsync(user.Id, AuditActions.UserCreated, email, source, cancellationToken);
        }

        var promoted = false;
        if (admin && !await users.IsInRoleAsync(user, Viewer.AdminRole))
        {
            await EnsureAdminRoleAsync();
            Succeeded(await users.AddToRoleAsync(user, Viewer.AdminRole));
            promoted = true;
            await audit.RecordAsync(user.Id, AuditActions.AdminGranted, email, source, cancellationToken);
        }

        return new ProvisionedUser(user, created, promoted);
    }

    /// <summary>Identity's password rules for a new user, without creating anything.</summary>
    public async Task CheckPasswordAsync(CatwalkUser user, string password)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        if (problems.Count > 0)
        {
            throw new AccountRejectedException(problems);
        }
    }

    private async Task EnsureAdminRoleAsync()
    {
        if (!await roles.RoleExistsAsync(Viewer.AdminRole))
        {
            var result = await roles.CreateAsync(new IdentityRole(Viewer.AdminRole));
            // Another instance starting at the same moment may have created it first.
            if (!result.Succeeded && !await roles.RoleExistsAsync(Viewer.AdminRole))
            {
                Succeeded(result);
            }
        }
    }

    private static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new AccountRejectedException(result.Errors.Select(e => e.Description));
        }
    }
}
