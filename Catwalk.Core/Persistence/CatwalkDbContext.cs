using Catwalk.Core.Accounts;
using Catwalk.Core.Analysis;
using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Persistence;

/// <summary>Catwalk's one database: deployments, their credentials and events, the analysis cache, and accounts.</summary>
public sealed class CatwalkDbContext(DbContextOptions<CatwalkDbContext> options) : IdentityDbContext<CatwalkUser>(options)
{
    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<StoredCredential> Credentials => Set<StoredCredential>();

    public DbSet<DeploymentEvent> DeploymentEvents => Set<DeploymentEvent>();

    public DbSet<AnalysisCacheEntry> AnalysisCache => Set<AnalysisCacheEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CatwalkDbContext).Assembly);
    }
}
