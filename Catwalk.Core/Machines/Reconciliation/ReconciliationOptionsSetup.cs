using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>Binds <see cref="ReconciliationOptions"/>; a plain number is seconds.</summary>
internal sealed class ReconciliationOptionsSetup(IConfiguration configuration) : IConfigureOptions<ReconciliationOptions>
{
    public void Configure(ReconciliationOptions options)
    {
        var settings = new SettingReader(configuration);
        options.Interval = settings.Duration("CATWALK_RECONCILE_INTERVAL", DurationUnit.Seconds) ?? options.Interval;
        options.SettleTime = settings.Duration("CATWALK_RECONCILE_SETTLE_TIME", DurationUnit.Seconds) ?? options.SettleTime;
        options.OrphanCleanupMinAge = settings.Duration("CATWALK_ORPHAN_CLEANUP_MIN_AGE", DurationUnit.Seconds);
        settings.ThrowIfInvalid<ReconciliationOptions>();
    }
}
