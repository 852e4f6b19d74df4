namespace Catwalk.Core.Deployments;

/// <summary>What happened to a deployment: the events of its state machine (<see cref="DeploymentStateMachine"/>).</summary>
public enum DeploymentTrigger
{
    /// <summary>A machine is being created (first deploy, start without a machine, or re-provisioning).</summary>
    Provision,

    /// <summary>The runtime accepted the new machine; the lifecycle now waits for the server to answer.</summary>
    MachineAccepted,

    /// <summary>Someone (a user, an admin, a restart) asked for the server to run.</summary>
    Start,

    /// <summary>An MCP request arrived for a stopped deployment.</summary>
    Wake,

    /// <summary>The credentials or the version changed: the server runs again with them.</summary>
    Redeploy,

    /// <summary>The server answered initialize: <c>/status</c> answers 200.</summary>
    BecameHealthy,

    /// <summary>Someone (a user, an admin, a restart, the idle timer) asked for the server to stop.</summary>
    Stop,

    /// <summary>The machine stopped (after <see cref="Stop"/>).</summary>
    MachineStopped,

    /// <summary>The lifecycle, the monitor or the runtime gave up; the reason says why.</summary>
    Fail,

    /// <summary>The monitor's <c>/status</c> check failed on a running deployment.</summary>
    HealthCheckFailed,

    /// <summary>The monitor's <c>/status</c> check passes again.</summary>
    Recovered,

    /// <summary>Delete requested: the machine is destroyed, then the rows.</summary>
    Delete,

    /// <summary>The reconciler found the machine started while the record said otherwise.</summary>
    FoundStarted,

    /// <summary>The reconciler found the machine stopped while the record said it should run.</summary>
    FoundStopped,

    /// <summary>The reconciler records what it learnt about the machine (adopted, forgotten) without a status change.</summary>
    MachineRecorded,
}
