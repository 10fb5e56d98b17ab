using Orleans.Concurrency;
using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>One Workspace, keyed <c>namespace/name</c>. Commands validate, then record events; effects happen outside.</summary>
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>Applies a Workspace document (JSON). The same spec and generation applied twice raises no event.</summary>
    Task<SpecApplyResult> ApplySpec(WorkspaceSubmission submission);

    /// <summary>Starts deletion: machines first, then the finalizer. Idempotent.</summary>
    Task RequestDeletion(CommandSource source);

    /// <summary>What the workload reports (ready replicas, job state). A redelivered observation is a no-op.</summary>
    Task ObserveWorkload(WorkloadObservation observation, CommandSource source);

    /// <summary>A machine of this Workspace reports a phase change. One-way, so a machine never waits on its owner.</summary>
    [OneWay]
    Task ObserveMachine(MachineReport report);

    /// <summary>Adds notes to the audit trail, one event each, in one append.</summary>
    Task AddNotes(IReadOnlyList<string> notes, CommandSource source);

    /// <summary>Runs one reconcile pass now (e.g. on a watch resync), as the timer and the reminder do.</summary>
    Task Reconcile(CommandSource source);

    Task<WorkspaceView> GetState();
}
