using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Catwalk.Core.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CatwalkDbContext>
{
    public CatwalkDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatwalkDbContext>()
            .UseNpgsql("Host=localhost;Database=catwalk_design")
            .Options);
}
