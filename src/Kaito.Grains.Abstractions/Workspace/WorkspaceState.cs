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

    /// <summary>Replacement machines requested after machine failures since the last revision (capped by the options).</summary>
    public int MachineRetries { get; set; }

    /// <summary>Not before this time is the next replacement machine requested; null when no retry is pending.</summary>
    public DateTimeOffset? NextMachineRetryAt { get; set; }

    /// <summary>The canonical spec hash of the last rejected document, so a document without a generation is judged on its content.</summary>
    public string? RejectedSpecHash { get; set; }

    /// <summary>The boundaries of the latest cold start; null before the first spec (and in snapshots written before it was kept).</summary>
    public ColdStartTimes? ColdStart { get; set; }

    /// <summary>No timer or reminder needed: nothing happens until a new command or observation.</summary>
    [JsonIgnore]
    public bool IsSettled => Phase is WorkspacePhase.None or WorkspacePhase.Ready or WorkspacePhase.TuningJobSucceeded
        or WorkspacePhase.Deleted
        || (Phase is WorkspacePhase.Failed && NextMachineRetryAt is null && !HasFailedMachineToRelease);

    [JsonIgnore]
    public int ReadyMachineCount => Machines.Values.Count(m => m.Ready && !m.Deleted);

    /// <summary>Machines that still count towards resource.count: neither deleted nor failed (a failed one is replaced).</summary>
    [JsonIgnore]
    public int LiveMachineCount => Machines.Values.Count(m => !m.Deleted && !m.Failed);

    /// <summary>A failed machine whose node has not been released yet.</summary>
    [JsonIgnore]
    public bool HasFailedMachineToRelease => Machines.Values.Any(m => m is { Failed: true, Deleted: false });

    [JsonIgnore]
    private bool IsDeletingOrDeleted => Phase is WorkspacePhase.Deleting or WorkspacePhase.Deleted;

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
            case MachineFailureObserved x: Apply(x); break;
            case WorkloadScheduledObserved x: Apply(x); break;
        }
    }

    public void Apply(WorkspaceRequested e)
    {
        if (Spec is not null || Phase is not WorkspacePhase.None)
        {
            // A stale or repeated first spec: a later revision (or deletion) already stands.
            return;
        }

        Spec = e.Spec;
        Revision = 1;
        Generation = e.Context.Generation;
        CreatedAt = e.Context.At;
        Phase = WorkspacePhase.Requested;
        ColdStart = new ColdStartTimes { StartedAt = e.Context.At };
    }

    public void Apply(WorkspaceRevisionCreated e)
    {
        if (e.Revision <= Revision || IsDeletingOrDeleted)
        {
            return;
        }

        var nodesChanged = Spec is null || Spec.NodeCount != e.Spec.NodeCount || Spec.InstanceType != e.Spec.InstanceType;
        Spec = e.Spec;
        Revision = e.Revision;
        Generation = e.Context.Generation;
        RejectedGeneration = null;
        RejectionMessage = null;
        Phase = Phase switch
        {
            WorkspacePhase.Deleting or WorkspacePhase.Deleted => Phase,
            // A new revision retries: on the same nodes when they suffice, else failed machines are released and replaced.
            WorkspacePhase.Failed => !nodesChanged && ReadyMachineCount >= e.Spec.NodeCount ? WorkspacePhase.NodesReady : WorkspacePhase.Requested,
            WorkspacePhase.NodesReady or WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready
                or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning or WorkspacePhase.TuningJobSucceeded
                => nodesChanged ? WorkspacePhase.Requested : WorkspacePhase.NodesReady,
            _ => Phase,
        };
        FailureReason = null;
        FailureMessage = null;
        MachineRetries = 0;
        NextMachineRetryAt = null;
        RejectedSpecHash = null;
        ColdStart = new ColdStartTimes { StartedAt = e.Context.At };
    }

    public void Apply(WorkspaceSpecRejected e)
    {
        if (Spec is not null && e.Context.Generation <= Generation)
        {
            // The verdict on a document older than the accepted one.
            return;
        }

        RejectedGeneration = e.Context.Generation;
        RejectionMessage = string.Join("; ", e.Errors);
        RejectedSpecHash = e.SpecHash;
    }

    public void Apply(MachineProvisioningRequested e)
    {
        if (Machines.ContainsKey(e.MachineId) || IsDeletingOrDeleted)
        {
            // A duplicate never resets a machine that is already on its way (or ready).
            return;
        }

        Machines[e.MachineId] = new WorkspaceMachineStatus { MachineId = e.MachineId, InstanceType = e.InstanceType };
        ColdStartAgainAfterReady(e.Context.At).NodesRequestedAt ??= e.Context.At;
        if (Phase is WorkspacePhase.Failed && NextMachineRetryAt is not null)
        {
            // The replacement after a machine failure: provisioning again.
            NextMachineRetryAt = null;
            Phase = WorkspacePhase.ProvisioningNodes;
        }
        else if (Phase is WorkspacePhase.Requested)
        {
            Phase = WorkspacePhase.ProvisioningNodes;
        }
    }

    public void Apply(MachineReadyObserved e)
    {
        if (Machines.TryGetValue(e.MachineId, out var machine) && !machine.Deleted && !machine.Failed)
        {
            machine.Ready = true;
            machine.NodeName = e.NodeName;
            machine.ProblemCode = null;
            machine.ProblemMessage = null;
        }
    }

    public void Apply(ResourcesBecameReady e)
    {
        if (Phase is WorkspacePhase.Requested or WorkspacePhase.ProvisioningNodes)
        {
            WorkerNodes = [.. e.WorkerNodes];
            Phase = WorkspacePhase.NodesReady;
            if (ColdStart is { NodesRequestedAt: not null, NodesReadyAt: null })
            {
                ColdStart.NodesReadyAt = e.Context.At;
            }

            // The machines a retry replaced are behind us: the workspace no longer reports that failure.
            FailureReason = null;
            FailureMessage = null;
        }
    }

    public void Apply(WorkloadApplied e)
    {
        // Only on nodes that are ready, and only for the revision that stands: never out of Deleting, Failed or a
        // re-provisioning, and never an older revision's workload.
        if (Phase is not (WorkspacePhase.NodesReady or WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready
                or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning)
            || e.RevisionHash != Spec?.RevisionHash)
        {
            return;
        }

        AppliedRevisionHash = e.RevisionHash;
        ColdStartAgainAfterReady(e.Context.At).WorkloadAppliedAt ??= e.Context.At;
        Phase = Spec?.Mode == WorkspaceMode.Tuning ? WorkspacePhase.TuningJobSubmitted : WorkspacePhase.DeployingWorkload;
    }

    public void Apply(WorkloadReplicasObserved e)
    {
        if (IsDeletingOrDeleted)
        {
            return;
        }

        ReadyReplicas = e.ReadyReplicas;
        DesiredReplicas = e.DesiredReplicas;
    }

    public void Apply(InferenceBecameReady e)
    {
        if (Phase is WorkspacePhase.DeployingWorkload)
        {
            Phase = WorkspacePhase.Ready;
            if (ColdStart is { ReadyAt: null })
            {
                ColdStart.ReadyAt = e.Context.At;
            }
        }
    }

    public void Apply(InferenceBecameUnready e)
    {
        if (Phase is WorkspacePhase.Ready)
        {
            Phase = WorkspacePhase.DeployingWorkload;
        }
    }

    public void Apply(TuningJobStarted e)
    {
        if (Phase is WorkspacePhase.TuningJobSubmitted)
        {
            Phase = WorkspacePhase.TuningJobRunning;
        }
    }

    public void Apply(TuningJobSucceeded e)
    {
        if (Phase is WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning)
        {
            Phase = WorkspacePhase.TuningJobSucceeded;
        }
    }

    public void Apply(WorkspaceFailed e)
    {
        if (IsDeletingOrDeleted || Phase is WorkspacePhase.None)
        {
            return;
        }

        Phase = WorkspacePhase.Failed;
        FailureReason = e.Reason;
        FailureMessage = e.Message;
    }

    public void Apply(WorkspaceDeletionRequested e)
    {
        if (Phase is not WorkspacePhase.Deleted)
        {
            Phase = WorkspacePhase.Deleting;
            NextMachineRetryAt = null;
        }
    }

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
        if (Phase is not WorkspacePhase.Deleting)
        {
            return;
        }

        Phase = WorkspacePhase.Deleted;
        WorkerNodes = [];
    }

    public void Apply(WorkspaceNoteRecorded e) => NoteCount++;

    public void Apply(WorkloadProblemObserved e)
    {
        if (IsDeletingOrDeleted)
        {
            return;
        }

        WorkloadProblemReason = e.Reason;
        WorkloadProblemMessage = e.Reason is null ? null : e.Message;
    }

    public void Apply(MachineProblemObserved e)
    {
        if (Machines.TryGetValue(e.MachineId, out var machine) && !machine.Ready && !machine.Deleted)
        {
            machine.ProblemCode = e.Code;
            machine.ProblemMessage = e.Message;
        }
    }

    public void Apply(MachineFailureObserved e)
    {
        if (!Machines.TryGetValue(e.MachineId, out var machine) || machine.Deleted || machine.Failed || IsDeletingOrDeleted
            || Phase is WorkspacePhase.None)
        {
            return;
        }

        machine.Failed = true;
        machine.Ready = false;
        machine.ProblemCode = e.Code;
        machine.ProblemMessage = e.Message;
        Phase = WorkspacePhase.Failed;
        FailureReason = "MachineFailed";
        FailureMessage = $"machine {e.MachineId}: {e.Code}: {e.Message}"
            + (e.RetryAt is { } at ? $"; replacement {e.Retry} due at {at:O}" : "; no replacement left");
        if (e.RetryAt is not null)
        {
            MachineRetries = Math.Max(MachineRetries, e.Retry);
            NextMachineRetryAt = e.RetryAt;
        }
    }

    public void Apply(WorkloadScheduledObserved e)
    {
        if (!IsDeletingOrDeleted && ColdStart is { WorkloadAppliedAt: not null, ScheduledAt: null, ReadyAt: null })
        {
            ColdStart.ScheduledAt = e.Context.At;
        }
    }

    /// <summary>The current cold start, or a new one from <paramref name="at"/> when the last one reached Ready (or none was kept).</summary>
    private ColdStartTimes ColdStartAgainAfterReady(DateTimeOffset at)
    {
        if (ColdStart is null or { ReadyAt: not null })
        {
            ColdStart = new ColdStartTimes { StartedAt = at };
        }

        return ColdStart;
    }
}
