using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Credentials;

internal sealed class StoredCredentialConfiguration : IEntityTypeConfiguration<StoredCredential>
{
    public void Configure(EntityTypeBuilder<StoredCredential> builder)
    {
        builder.ToTable("credentials");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(128).IsRequired();
        builder.Property(c => c.FernetToken).IsRequired();
        builder.HasIndex(c => new { c.DeploymentId, c.Name }).IsUnique();
        builder.HasOne(c => c.Deployment).WithMany().HasForeignKey(c => c.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
