namespace Catwalk.Core.Deployments;

/// <summary>Deadlines and intervals of the deployment lifecycle (configuration keys in brackets).</summary>
public sealed class DeploymentOptions
{
    public const string ReadyTimeoutVariable = "CATWALK_READY_TIMEOUT";
    public const string WakeTimeoutVariable = "CATWALK_WAKE_TIMEOUT";
    public const string IdleTimeoutVariable = "CATWALK_IDLE_TIMEOUT";
    public const string MonitorIntervalVariable = "CATWALK_MONITOR_INTERVAL";

    /// <summary>How long a machine may take to answer <c>/status</c> 200 after start [CATWALK_READY_TIMEOUT, a plain number is seconds].
    /// Generous: a cold <c>npx -y</c> downloads the package first.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a request waits for a stopped deployment to wake before 503 [CATWALK_WAKE_TIMEOUT, a plain number is seconds].</summary>
    public TimeSpan WakeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Running deployments without requests for this long are stopped [CATWALK_IDLE_TIMEOUT, a plain number is minutes; 0 = never].</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the monitor inspects machines and health-checks them [CATWALK_MONITOR_INTERVAL, a plain number is seconds].</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many stderr lines a failure carries as its log tail (several crashes' worth, newest kept).</summary>
    public int FailureLogLines { get; set; } = 40;
}
