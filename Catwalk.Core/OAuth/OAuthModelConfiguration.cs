using Catwalk.Core.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.OAuth;

/// <summary>OpenIddict's tables with Catwalk's entities, and the cascades that make deleting a deployment revoke its clients.</summary>
public static class OAuthModelConfiguration
{
    public static void ConfigureOAuth(this ModelBuilder builder)
    {
        builder.UseOpenIddict<OAuthApplication, OAuthAuthorization, OAuthScope, OAuthToken, string>();
        builder.Entity<OAuthAuthorization>(authorization =>
        {
            authorization.HasOne<Deployment>().WithMany().HasForeignKey(a => a.DeploymentId).OnDelete(DeleteBehavior.Cascade);
            authorization.HasIndex(a => a.DeploymentId);
        });
        // Removing an approval (with its deployment) removes its codes and refresh tokens too.
        builder.Entity<OAuthToken>().HasOne(t => t.Authorization).WithMany(a => a.Tokens).OnDelete(DeleteBehavior.Cascade);
        builder.Entity<OAuthServerKey>(key =>
        {
            key.ToTable("OAuthServerKeys");
            key.Property(k => k.Purpose).HasMaxLength(20);
        });
    }
}
