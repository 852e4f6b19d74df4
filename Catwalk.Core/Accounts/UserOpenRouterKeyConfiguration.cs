using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Accounts;

internal sealed class UserOpenRouterKeyConfiguration : IEntityTypeConfiguration<UserOpenRouterKey>
{
    public void Configure(EntityTypeBuilder<UserOpenRouterKey> builder)
    {
        builder.ToTable("user_openrouter_keys");
        builder.HasKey(k => k.UserId);
        builder.Property(k => k.UserId).HasMaxLength(450);
        builder.Property(k => k.FernetToken).IsRequired();
        builder.HasOne<CatwalkUser>().WithOne().HasForeignKey<UserOpenRouterKey>(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
