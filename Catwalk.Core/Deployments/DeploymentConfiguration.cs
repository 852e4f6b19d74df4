using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Deployments;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("deployments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.OwnerId).HasMaxLength(450).IsRequired();
        builder.Property(d => d.Name).HasMaxLength(64).IsRequired();
        builder.Property(d => d.RepoUrl).HasMaxLength(512);
        builder.Property(d => d.Package).HasMaxLength(214).IsRequired();
        builder.Property(d => d.Runtime).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.PackageVersion).HasMaxLength(128);
        builder.Property(d => d.Arguments).HasColumnType("text[]").HasDefaultValueSql("'{}'::text[]");
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.RuntimeKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.MachineId).HasMaxLength(128);
        builder.Property(d => d.ErrorMessage).HasMaxLength(4000);
        builder.Property(d => d.AccessTokenHash).HasMaxLength(128).IsRequired();
        // Names key a client's mcpServers snippet: one owner's deployments never share one.
        builder.HasIndex(d => new { d.OwnerId, d.Name }).IsUnique().HasDatabaseName(DeploymentNames.UniqueIndex);
        builder.HasIndex(d => d.MachineId);
        builder.HasMany(d => d.Events).WithOne().HasForeignKey(e => e.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
