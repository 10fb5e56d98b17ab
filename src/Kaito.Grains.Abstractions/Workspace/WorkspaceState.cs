using System.Text.Json.Serialization;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// A Workspace as its events made it. One pure <c>Apply</c> per event: deterministic, no I/O, never throwing,
/// so replay and unit tests need no cluster. Serialized as JSON for snapshots: public settable properties only.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class WorkspaceState
{
    public WorkspacePhase Phase { get; set; }

    /// <summary>metadata.generation of the last accepted spec.</summary>
    public long Generation { get; set; }

    public int Revision { get; set; }

    public WorkspaceSpecRecord? Spec { get; set; }

    /// <summary>The last generation rejected by the update rules, so that a redelivery raises no second event.</summary>
    public long? RejectedGeneration { get; set; }

    public string? RejectionMessage { get; set; }

    public Dictionary<string, WorkspaceMachineStatus> Machines { get; set; } = [];

    public List<string> WorkerNodes { get; set; } = [];

    /// <summary>The revision hash whose workload was last applied; a new revision makes it stale.</summary>
    public string? AppliedRevisionHash { get; set; }

    public int ReadyReplicas { get; set; }

    public int DesiredReplicas { get; set; }

    /// <summary>What a pod of the workload reports when it is not serving (e.g. <c>CrashLoopBackOff</c>).</summary>
    public string? WorkloadProblemReason { get; set; }

    public string? WorkloadProblemMessage { get; set; }

    public string? FailureReason { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public int NoteCount { get; set; }

    /// <summary>No timer or reminder needed: nothing happens until a new command or observation.</summary>
    [JsonIgnore]
    public bool IsSettled => Phase is WorkspacePhase.None or WorkspacePhase.Ready or WorkspacePhase.TuningJobSucceeded
        or WorkspacePhase.Failed or WorkspacePhase.Deleted;

    [JsonIgnore]
    public int ReadyMachineCount => Machines.Values.Count(m => m.Ready && !m.Deleted);

    [JsonIgnore]
    public int LiveMachineCount => Machines.Values.Count(m => !m.Deleted);

    public void Apply(WorkspaceEvent e)
    {
        UpdatedAt = e.Context.At;
        switch (e)
        {
            case WorkspaceRequested x: Apply(x); break;
            case WorkspaceRevisionCreated x: Apply(x); break;
            case WorkspaceSpecRejected x: Apply(x); break;
            case MachineProvisioningRequested x: Apply(x); break;
            case MachineReadyObserved x: Apply(x); break;
            case ResourcesBecameReady x: Apply(x); break;
            case WorkloadApplied x: Apply(x); break;
            case WorkloadReplicasObserved x: Apply(x); break;
            case InferenceBecameReady x: Apply(x); break;
            case InferenceBecameUnready x: Apply(x); break;
            case TuningJobStarted x: Apply(x); break;
            case TuningJobSucceeded x: Apply(x); break;
            case WorkspaceFailed x: Apply(x); break;
            case WorkspaceDeletionRequested x: Apply(x); break;
            case MachineDeletionObserved x: Apply(x); break;
            case WorkspaceDeleted x: Apply(x); break;
            case WorkspaceNoteRecorded x: Apply(x); break;
            case WorkloadProblemObserved x: Apply(x); break;
            case MachineProblemObserved x: Apply(x); break;
        }
    }

    public void Apply(WorkspaceRequested e)
    {
        Spec = e.Spec;
        Revision = 1;
        Generation = e.Context.Generation;
        CreatedAt = e.Context.At;
        Phase = WorkspacePhase.Requested;
    }

    public void Apply(WorkspaceRevisionCreated e)
    {
        var nodesChanged = Spec is null || Spec.NodeCount != e.Spec.NodeCount || Spec.InstanceType != e.Spec.InstanceType;
        Spec = e.Spec;
        Revision = e.Revision;
        Generation = e.Context.Generation;
        RejectedGeneration = null;
        RejectionMessage = null;
        Phase = Phase switch
        {
            WorkspacePhase.Deleting or WorkspacePhase.Deleted => Phase,
            // A failed workload can be retried by a new revision on the same nodes; a failed machine cannot.
            WorkspacePhase.Failed => !nodesChanged && ReadyMachineCount >= e.Spec.NodeCount ? WorkspacePhase.NodesReady : WorkspacePhase.Failed,
            WorkspacePhase.NodesReady or WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready
                or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning or WorkspacePhase.TuningJobSucceeded
                => nodesChanged ? WorkspacePhase.Requested : WorkspacePhase.NodesReady,
            _ => Phase,
        };
        if (Phase is not WorkspacePhase.Failed)
        {
            FailureReason = null;
            FailureMessage = null;
        }
    }

    public void Apply(WorkspaceSpecRejected e)
    {
        RejectedGeneration = e.Context.Generation;
        RejectionMessage = string.Join("; ", e.Errors);
    }

    public void Apply(MachineProvisioningRequested e)
    {
        Machines[e.MachineId] = new WorkspaceMachineStatus { MachineId = e.MachineId, InstanceType = e.InstanceType };
        if (Phase is WorkspacePhase.Requested)
        {
            Phase = WorkspacePhase.ProvisioningNodes;
        }
    }

    public void Apply(MachineReadyObserved e)
    {
        if (Machines.TryGetValue(e.MachineId, out var machine))
        {
            machine.Ready = true;
            machine.NodeName = e.NodeName;
            machine.ProblemCode = null;
            machine.ProblemMessage = null;
        }
    }

    public void Apply(ResourcesBecameReady e)
    {
        WorkerNodes = [.. e.WorkerNodes];
        if (Phase is WorkspacePhase.Requested or WorkspacePhase.ProvisioningNodes)
        {
            Phase = WorkspacePhase.NodesReady;
        }
    }

    public void Apply(WorkloadApplied e)
    {
        AppliedRevisionHash = e.RevisionHash;
        Phase = Spec?.Mode == WorkspaceMode.Tuning ? WorkspacePhase.TuningJobSubmitted : WorkspacePhase.DeployingWorkload;
    }

    public void Apply(WorkloadReplicasObserved e)
    {
        ReadyReplicas = e.ReadyReplicas;
        DesiredReplicas = e.DesiredReplicas;
    }

    public void Apply(InferenceBecameReady e) => Phase = WorkspacePhase.Ready;

    public void Apply(InferenceBecameUnready e)
    {
        if (Phase is WorkspacePhase.Ready)
        {
            Phase = WorkspacePhase.DeployingWorkload;
        }
    }

    public void Apply(TuningJobStarted e) => Phase = WorkspacePhase.TuningJobRunning;

    public void Apply(TuningJobSucceeded e) => Phase = WorkspacePhase.TuningJobSucceeded;

    public void Apply(WorkspaceFailed e)
    {
        Phase = WorkspacePhase.Failed;
        FailureReason = e.Reason;
        FailureMessage = e.Message;
    }

    public void Apply(WorkspaceDeletionRequested e) => Phase = WorkspacePhase.Deleting;

    public void Apply(MachineDeletionObserved e)
    {
        if (Machines.TryGetValue(e.MachineId, out var machine))
        {
            // A machine gone while the workspace still needs it (its node was lost): provision a replacement.
            var replace = !machine.Deleted && Phase is WorkspacePhase.NodesReady or WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready
                or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning;
            machine.Deleted = true;
            machine.Ready = false;
            if (replace)
            {
                WorkerNodes.Remove(machine.NodeName ?? "");
                Phase = WorkspacePhase.Requested;
            }
        }
    }

    public void Apply(WorkspaceDeleted e)
    {
        Phase = WorkspacePhase.Deleted;
        WorkerNodes = [];
    }

    public void Apply(WorkspaceNoteRecorded e) => NoteCount++;

    public void Apply(WorkloadProblemObserved e)
    {
        WorkloadProblemReason = e.Reason;
        WorkloadProblemMessage = e.Reason is null ? null : e.Message;
    }

    public void Apply(MachineProblemObserved e)
    {
        if (Machines.TryGetValue(e.MachineId, out var machine) && !machine.Ready)
        {
            machine.ProblemCode = e.Code;
            machine.ProblemMessage = e.Message;
        }
    }
}
