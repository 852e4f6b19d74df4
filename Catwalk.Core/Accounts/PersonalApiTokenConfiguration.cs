using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Accounts;

internal sealed class PersonalApiTokenConfiguration : IEntityTypeConfiguration<PersonalApiToken>
{
    public void Configure(EntityTypeBuilder<PersonalApiToken> builder)
    {
        builder.ToTable("personal_api_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(PersonalApiTokens.MaxNameLength).IsRequired();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        // Deleting a user deletes their tokens.
        builder.HasOne<CatwalkUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
