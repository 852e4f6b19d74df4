using Catwalk.Core.Accounts;
using Catwalk.Core.Analysis;
using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Core.OAuth;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Persistence;

/// <summary>Catwalk's one database: deployments, their credentials and events, the analysis cache, accounts
/// (with their API tokens, own OpenRouter keys and the audit log), the data protection key ring and the OAuth server's
/// clients, approvals and tokens.</summary>
public sealed class CatwalkDbContext(DbContextOptions<CatwalkDbContext> options)
    : IdentityDbContext<CatwalkUser>(options), IDataProtectionKeyContext
{
    public DbSet<Deployment> Deployments => Set<Deployment>();

    public DbSet<StoredCredential> Credentials => Set<StoredCredential>();

    public DbSet<DeploymentEvent> DeploymentEvents => Set<DeploymentEvent>();

    public DbSet<AnalysisCacheEntry> AnalysisCache => Set<AnalysisCacheEntry>();

    public DbSet<PersonalApiToken> PersonalApiTokens => Set<PersonalApiToken>();

    public DbSet<UserOpenRouterKey> UserOpenRouterKeys => Set<UserOpenRouterKey>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    /// <summary>ASP.NET Core's data protection keys (sign-in cookies, antiforgery), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The OAuth authorization server's keys (Fernet-encrypted).</summary>
    public DbSet<OAuthServerKey> OAuthServerKeys => Set<OAuthServerKey>();

    /// <summary>Approvals of MCP clients, one deployment each (OpenIddict's authorizations).</summary>
    public DbSet<OAuthAuthorization> OAuthAuthorizations => Set<OAuthAuthorization>();

    public DbSet<OAuthToken> OAuthTokens => Set<OAuthToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CatwalkDbContext).Assembly);
        builder.ConfigureOAuth();
    }
}
