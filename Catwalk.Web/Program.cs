using Catwalk.Core.Analysis;
using Catwalk.Core.Persistence;
using Catwalk.Web.CommandLine;
using Catwalk.Web.Health;
using Catwalk.Web.Hosting;

var verb = CommandLineVerbs.Find(args);
var builder = WebApplication.CreateBuilder(verb is null ? args : []);

builder.AddCatwalkPersistence();
builder.AddCatwalkAnalysis();
builder.Services.AddCatwalkHealthChecks();
builder.Services.AddCatwalkUi();

var app = builder.Build();

if (verb is not null)
{
    return await CommandLineVerbs.RunAsync(verb, app.Services, args);
}

await app.PrepareDatabaseAsync();

app.UseCatwalkPipeline();
app.MapCatwalkHealthChecks();
app.MapCatwalkUi();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
