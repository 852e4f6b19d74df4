using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Machines.Secrets;

internal sealed class StoredMachineSecretConfiguration : IEntityTypeConfiguration<StoredMachineSecret>
{
    public void Configure(EntityTypeBuilder<StoredMachineSecret> builder)
    {
        builder.ToTable("machine_secrets");
        builder.HasKey(s => s.MachineId);
        builder.Property(s => s.MachineId).HasMaxLength(128);
        builder.Property(s => s.FernetToken).IsRequired();
        builder.HasIndex(s => s.DeploymentId);
        // Deleting a deployment forgets its machine's secret with it.
        builder.HasOne(s => s.Deployment).WithMany().HasForeignKey(s => s.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
