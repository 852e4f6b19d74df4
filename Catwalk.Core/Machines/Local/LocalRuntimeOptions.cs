namespace Catwalk.Core.Machines.Local;

/// <summary>
/// How the local runtime runs deployments' MCP servers as child processes of this host. Bound from the
/// configuration keys below (environment variable names) by <see cref="LocalRuntimeOptionsSetup"/>.
/// </summary>
public sealed class LocalRuntimeOptions
{
    public const string NpxCommandVariable = "CATWALK_LOCAL_NPX";
    public const string UvxCommandVariable = "CATWALK_LOCAL_UVX";
    public const string WorkingDirectoryVariable = "CATWALK_LOCAL_WORKDIR";
    public const string InitializeTimeoutVariable = "CATWALK_LOCAL_INITIALIZE_TIMEOUT_SECONDS";
    public const string MaxConsecutiveCrashesVariable = "CATWALK_LOCAL_MAX_CONSECUTIVE_CRASHES";
    public const string RestartBackoffVariable = "CATWALK_LOCAL_RESTART_BACKOFF_SECONDS";
    public const string MaxRestartBackoffVariable = "CATWALK_LOCAL_MAX_RESTART_BACKOFF_SECONDS";
    public const string StableRunTimeVariable = "CATWALK_LOCAL_STABLE_RUN_SECONDS";
    public const string LogTailLinesVariable = "CATWALK_LOCAL_LOG_TAIL_LINES";
    public const string RequestReadyTimeoutVariable = "CATWALK_LOCAL_REQUEST_READY_TIMEOUT_SECONDS";

    /// <summary>Runs npm packages: <c>npx -y -- &lt;package&gt;[@&lt;version&gt;]</c>.</summary>
    public string NpxCommand { get; set; } = "npx";

    /// <summary>Runs PyPI packages: <c>uvx &lt;package&gt;</c>, or <c>uvx --from &lt;package&gt;==&lt;version&gt; &lt;package&gt;</c>.</summary>
    public string UvxCommand { get; set; } = "uvx";

    /// <summary>
    /// The child processes' working directory. npx resolves packages installed in its <c>node_modules</c>
    /// before downloading, so pre-installed servers start without a registry round trip.
    /// Defaults to <c>mcp-servers</c> under the data directory.
    /// </summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>How long a freshly started server (including a cold npx/uvx download) has to answer initialize; one that
    /// does not is Failed with the hint that it may need an argument such as <c>--stdio</c>.</summary>
    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Crashes in a row of a server that had answered initialize, after which the machine is Failed (a server
    /// that never answered since it was started fails at once).</summary>
    public int MaxConsecutiveCrashes { get; set; } = 5;

    /// <summary>The wait before the first restart; it doubles with every further crash in a row.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A run that lasted this long after answering initialize (installs do not count) is not a crash loop: the
    /// count of crashes in a row starts again.</summary>
    public TimeSpan StableRunTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many of the server's last stderr lines are kept as its log.</summary>
    public int LogTailLines { get; set; } = 200;

    /// <summary>How long an MCP request to a (re)starting server waits for it before the bridge answers 503.</summary>
    public TimeSpan RequestReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
