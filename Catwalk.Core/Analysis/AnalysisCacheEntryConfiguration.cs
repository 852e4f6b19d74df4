using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catwalk.Core.Analysis;

internal sealed class AnalysisCacheEntryConfiguration : IEntityTypeConfiguration<AnalysisCacheEntry>
{
    public void Configure(EntityTypeBuilder<AnalysisCacheEntry> builder)
    {
        builder.ToTable("analysis_cache");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.NormalizedRepoUrl).HasMaxLength(512).IsRequired();
        builder.Property(a => a.ResultJson).HasColumnType("jsonb").IsRequired();
        builder.Property(a => a.SourcesKey).HasMaxLength(1024).IsRequired();
        builder.HasIndex(a => new { a.NormalizedRepoUrl, a.SourcesKey }).IsUnique();
    }
}
