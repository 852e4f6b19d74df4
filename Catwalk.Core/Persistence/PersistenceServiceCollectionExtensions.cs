using Catwalk.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The database: <c>DATABASE_URL</c> when set; otherwise a private PostgreSQL cluster under the data
    /// directory, started now and stopped when the host stops.
    /// </summary>
    public static IHostApplicationBuilder AddCatwalkPersistence(this IHostApplicationBuilder builder)
    {
        var connectionString = ResolveConnectionString(builder.Configuration, builder.Services);
        // The factory also registers the context as scoped, for request-bound code such as Identity.
        builder.Services.AddDbContextFactory<CatwalkDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddSingleton<DatabaseMigrator>();
        return builder;
    }

    private static string ResolveConnectionString(IConfiguration configuration, IServiceCollection services)
    {
        // Read while registering: whether there is a database to start decides what gets registered.
        var settings = new SettingReader(configuration);
        if (settings.Text("DATABASE_URL") is { } databaseUrl)
        {
            return DatabaseUrl.ToConnectionString(databaseUrl);
        }

        var cluster = new EmbeddedPostgresCluster(new EmbeddedPostgresOptions
        {
            ClusterDirectory = Path.Combine(DataDirectory.Resolve(settings.Text(DataDirectory.Variable)), "postgres"),
            BinDirectory = settings.Text("CATWALK_POSTGRES_BIN"),
        });
        var connectionString = cluster.EnsureStarted();
        services.AddSingleton(cluster);
        // Registered before every other hosted service, so the database is stopped after them.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, EmbeddedPostgresLifetime>());
        return connectionString;
    }
}
