using Azure.Data.Tables;

namespace Kaito.Grains.Hosting;

/// <summary>Where the event tables live, how often snapshots are taken, how often aggregates reconcile.</summary>
public sealed class KaitoGrainsOptions
{
    /// <summary>The Table service; or set <see cref="ConnectionString"/>.</summary>
    public TableServiceClient? TableServiceClient { get; set; }

    public string? ConnectionString { get; set; }

    /// <summary>Prepended to the table names (letters and digits only), e.g. to keep test runs apart.</summary>
    public string TablePrefix { get; set; } = "kaito";

    /// <summary>Write a snapshot onto the head row every this many events; activation reads at most this many event rows.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>Period of the in-memory reconcile timer while an aggregate is active and not settled.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of the durable reminder that brings an unsettled aggregate back after a crash (Orleans' minimum is 1 minute unless lowered).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a settled Ready workspace or machine is looked at again (workload, node), less up to 20% jitter.</summary>
    public TimeSpan ReobserveInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Longest wait between tries of a failing reconcile pass or status publish; the wait starts at
    /// <see cref="ReconcileInterval"/> and doubles per consecutive failure, less up to 20% jitter.
    /// </summary>
    public TimeSpan FailureBackoffCap { get; set; } = TimeSpan.FromMinutes(5);

    public string WorkspaceEventsTable => TablePrefix + "WorkspaceEvents";

    public string MachineEventsTable => TablePrefix + "MachineEvents";
}
