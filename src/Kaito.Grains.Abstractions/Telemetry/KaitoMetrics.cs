using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kaito.Grains.Telemetry;

/// <summary>
/// The control plane's own instruments, on one <see cref="Meter"/> and one <see cref="ActivitySource"/> named
/// <see cref="Name"/>. <c>kaito run</c> exports them on <c>/metrics</c> (Prometheus names in brackets; docs/operations.md).
/// </summary>
public static class KaitoMetrics
{
    public const string Name = "Kaito";

    public static readonly Meter Meter = new(Name);

    /// <summary>Traces: one activity per reconcile pass.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>One reconcile pass of a grain, tags <c>kind</c> (workspace, machine) and <c>outcome</c> (ok, failed) [kaito_reconcile_duration_seconds].</summary>
    public static readonly Histogram<double> ReconcileDuration = Meter.CreateHistogram<double>(
        "kaito.reconcile.duration", "s", "Duration of one reconcile pass of a Workspace or Machine grain");

    /// <summary>Events committed to an event log, tag <c>kind</c> [kaito_events_appended_total].</summary>
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>(
        "kaito.events.appended", "{event}", "Events committed to the Workspace and Machine event logs");

    /// <summary>
    /// A finished provisioning phase, tags <c>phase</c> (a workspace's cold-start phases Nodes, WorkloadScheduled,
    /// ImageAndModelLoad, Ready; a machine's MachineReady) and <c>provisioner</c> [kaito_provisioning_phase_duration_seconds].
    /// </summary>
    public static readonly Histogram<double> ProvisioningPhaseDuration = Meter.CreateHistogram<double>(
        "kaito.provisioning.phase.duration", "s", "Duration of a finished provisioning phase of a workspace or machine");

    /// <summary>A watch of the API server started again, tags <c>resource</c> and <c>reason</c> (closed, gone, missing, failed) [kaito_watch_restarts_total].</summary>
    public static readonly Counter<long> WatchRestarts = Meter.CreateCounter<long>(
        "kaito.watch.restarts", "{restart}", "Watches of the API server started again, by reason");

    /// <summary>A Service Bus message handled, tag <c>outcome</c> (applied, deleted, duplicate, dead-lettered, abandoned) [kaito_servicebus_messages_total].</summary>
    public static readonly Counter<long> ServiceBusMessages = Meter.CreateCounter<long>(
        "kaito.servicebus.messages", "{message}", "Service Bus messages handled, by outcome");
}
