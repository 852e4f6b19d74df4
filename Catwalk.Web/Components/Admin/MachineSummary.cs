using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Admin;

namespace Catwalk.Web.Components.Admin;

/// <summary>The counts on the admin machines page's summary bar.</summary>
public sealed record MachineSummary(int Running, int Stopped, int Unhealthy, int Failed, int Orphans)
{
    public static MachineSummary Of(IEnumerable<MachineRow> rows)
    {
        var list = rows as IReadOnlyCollection<MachineRow> ?? rows.ToList();
        return new MachineSummary(
            list.Count(r => r.State == MachineState.Started),
            list.Count(r => r.State == MachineState.Stopped),
            list.Count(r => r.Health == MachineHealth.Unhealthy),
            list.Count(r => r.State == MachineState.Failed),
            list.Count(r => r.IsOrphan));
    }
}

/// <summary>What the admin filtered the machine list to.</summary>
public enum MachineFilter
{
    All,
    Running,
    Stopped,
    Unhealthy,
    Failed,
    Orphans,
}
