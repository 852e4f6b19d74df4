using System.Text.Json.Nodes;

namespace Catwalk.Tests.Fakes.FlyMachines;

/// <summary>One machine the fake Machines API holds. Its config is kept exactly as Catwalk sent it on the wire.</summary>
public sealed class FakeMachine
{
    internal FakeMachine(string id, string name, string region, JsonObject config, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        Region = region;
        Config = config;
        CreatedAt = createdAt;
    }

    public string Id { get; }

    public string Name { get; }

    public string Region { get; internal set; }

    /// <summary>created, starting, started, stopping, stopped, destroyed (changed only by the fake, under its lock).</summary>
    public string State { get; internal set; } = "created";

    public string InstanceId { get; internal set; } = NewInstanceId();

    /// <summary>The config as received (snake_case JSON): image, env, guest, metadata, restart, checks.</summary>
    public JsonObject Config { get; internal set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>What this machine does when started (set from the fake's <see cref="FakeFlyMachinesApi.NewMachineBehavior"/>).</summary>
    public FakeMachineBehavior Behavior { get; set; }

    /// <summary>The base URL its <c>/mcp</c> and <c>/status</c> are served from, once an <see cref="IFakeMachineUpstream"/> gave one.</summary>
    public Uri? Upstream { get; internal set; }

    /// <summary>Headers the machine's insides add on the way to its upstream (a local bridge standing in for mcp-proxy wants its own secret).</summary>
    public IReadOnlyDictionary<string, string> UpstreamHeaders { get; set; } = new Dictionary<string, string>();

    /// <summary>Why the <see cref="IFakeMachineUpstream"/> could not start this machine's upstream, if it threw.</summary>
    public Exception? UpstreamError { get; internal set; }

    internal List<JsonObject> Events { get; } = [];

    public string? Image => Config["image"]?.GetValue<string>();

    public string? Env(string name) => Config["env"]?[name]?.GetValue<string>();

    public IReadOnlyDictionary<string, string> Environment =>
        Config["env"] is JsonObject env ? env.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") : new Dictionary<string, string>();

    public string? Metadata(string key) => Config["metadata"]?[key]?.GetValue<string>();

    public bool Answers => State == "started" && !Behavior.HasFlag(FakeMachineBehavior.NeverHealthy) && !Behavior.HasFlag(FakeMachineBehavior.CrashesAfterStarted);

    internal static string NewInstanceId() => "01" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..24];
}

/// <summary>How a fake machine misbehaves.</summary>
[Flags]
public enum FakeMachineBehavior
{
    Normal = 0,

    /// <summary>Reaches started but <c>/status</c> never answers 200.</summary>
    NeverHealthy = 1,

    /// <summary>Stays in starting forever.</summary>
    NeverStarts = 2,

    /// <summary>Exits with code 1 every time it starts (Fly then reports it stopped).</summary>
    CrashesOnStart = 4,

    /// <summary>Reaches started, its server never answers <c>/status</c>, and about a second later it exits with code 1
    /// (Fly then reports it stopped): a crash after <c>started</c>, while Catwalk waits for health.</summary>
    CrashesAfterStarted = 8,
}
