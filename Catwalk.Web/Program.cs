using Catwalk.Core.Analysis;
using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Persistence;
using Catwalk.Web.Accounts;
using Catwalk.Web.Api;
using Catwalk.Web.CommandLine;
using Catwalk.Web.Health;
using Catwalk.Web.Hosting;
using Catwalk.Web.Mcp;

var verb = CommandLineVerbs.Find(args);
var builder = WebApplication.CreateBuilder(verb is null ? args : []);

builder.AddCatwalkPersistence();
builder.AddCatwalkCredentials();
builder.AddCatwalkAccounts();
builder.AddCatwalkMachines();
builder.AddCatwalkDeployments();
builder.AddCatwalkReconciliation();
builder.Services.AddCatwalkMcpForwarding(builder.Configuration);
builder.AddCatwalkAnalysis();
builder.Services.AddCatwalkHealthChecks();
builder.Services.AddCatwalkUi();
builder.AddCatwalkApi();

var app = builder.Build();

if (verb is not null)
{
    return await CommandLineVerbs.RunAsync(verb, app.Services, args);
}

await app.PrepareDatabaseAsync();

app.UseCatwalkPipeline();
app.MapCatwalkApi();
app.MapCatwalkHealthChecks();
app.MapCatwalkAccounts();
app.MapCatwalkMcpForwarding();
app.MapCatwalkUi();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
