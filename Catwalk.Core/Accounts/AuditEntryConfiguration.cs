using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Accounts;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(e => e.Id);
        // No foreign key to users: the trail outlives a deleted account.
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.Action).HasMaxLength(AuditLog.MaxActionLength).IsRequired();
        builder.Property(e => e.Target).HasMaxLength(AuditLog.MaxTargetLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditLog.MaxDetailLength);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.UserId, e.At });
    }
}
