using Catwalk.Core.Analysis;
using Catwalk.Core.Cluster;
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
using Catwalk.Web.Logging;
using Catwalk.Web.Mcp;
using Catwalk.Web.OAuth;
using Catwalk.Web.Telemetry;

if (CommandLineVerbs.IsVerb(args))
{
    return await CommandLineVerbs.RunAsync(args, () => Compose([], commandLine: true).Build());
}

return await WebServerStart.RunAsync(() => Compose(args, commandLine: false).Build(), async app =>
{
    await app.PrepareDatabaseAsync();
    await app.ClaimLocalRuntimeAsync();

    app.UseCatwalkPipeline();
    app.MapCatwalkApi();
    app.MapCatwalkHealthChecks();
    app.MapCatwalkMetrics();
    app.MapCatwalkAccounts();
    app.MapCatwalkOAuth();
    app.MapCatwalkMcpForwarding();
    app.MapCatwalkUi();

    await app.RunAsync();
});

static WebApplicationBuilder Compose(string[] args, bool commandLine)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCatwalkLogging(commandLine);
    builder.AddCatwalkTelemetry();
    builder.AddCatwalkPersistence();
    builder.AddCatwalkCluster();
    builder.AddCatwalkCredentials();
    builder.AddCatwalkAccounts();
    builder.AddCatwalkOAuth();
    builder.AddCatwalkMachines();
    builder.AddCatwalkDeployments();
    builder.AddCatwalkReconciliation();
    builder.Services.AddCatwalkMcpForwarding();
    builder.AddCatwalkAnalysis();
    builder.Services.AddCatwalkHealthChecks();
    builder.Services.AddCatwalkUi();
    builder.AddCatwalkApi();
    return builder;
}

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
