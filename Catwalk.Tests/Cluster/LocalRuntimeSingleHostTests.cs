using Catwalk.Core.Cluster;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Cluster;

/// <summary>The local runtime's machines are one host's child processes: a second instance on its database refuses to start.</summary>
public sealed class LocalRuntimeSingleHostTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_second_instance_on_the_local_runtime_refuses_to_start_naming_the_instance_that_holds_it()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = LocalInstance(database);
        _ = first.BaseAddress;
        var firstId = first.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.InstanceId;
        await using var second = LocalInstance(database);

        var start = () => second.BaseAddress;

        var refusal = start.Should().Throw<Exception>().Which;
        var problem = Flatten(refusal).OfType<Catwalk.Core.Hosting.ConfigurationException>().Should().ContainSingle().Subject;
        problem.Message.Should().Contain("Another Catwalk instance (catwalk " + firstId)
            .And.Contain("runs the local runtime against this database")
            .And.Contain("FLY_API_TOKEN");
    }

    [Fact]
    public async Task The_local_runtime_instance_can_start_again_once_the_previous_one_stopped()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var first = LocalInstance(database))
        {
            _ = first.BaseAddress;
        }

        await using var next = LocalInstance(database);

        var start = () => next.BaseAddress;
        start.Should().NotThrow("the stopped instance's session ended and freed the lock");
    }

    private static readonly string SharedKey = Catwalk.Core.Credentials.FernetKey.Generate().Export();

    private static CatwalkAppFactory LocalInstance(string database)
    {
        var app = new CatwalkAppFactory(database);
        app.Settings["CATWALK_RUNTIME"] = "local";
        // Instances of one service share the key (their data protection keys are in the database, under it).
        app.Settings["ENCRYPTION_KEY"] = SharedKey;
        return app;
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException all)
            {
                foreach (var inner in all.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
