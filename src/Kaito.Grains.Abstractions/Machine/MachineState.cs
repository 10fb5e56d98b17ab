using System.Text.Json.Serialization;
using Kaito.Grains.Ports;

namespace Kaito.Grains.Machines;

/// <summary>
/// A GPU node as its events made it, retries and deadlines included so that they show in state. One pure
/// <c>Apply</c> per event: deterministic, no I/O, never throwing. Public settable properties only (snapshots are JSON).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class MachineState
{
    public MachinePhase Phase { get; set; }

    public MachineSpecRecord? Spec { get; set; }

    /// <summary>Create attempts made so far.</summary>
    public int Attempt { get; set; }

    public string? OperationId { get; set; }

    /// <summary>When the current phase times out (node registration, then GPU capacity).</summary>
    public DateTimeOffset? PhaseDeadline { get; set; }

    /// <summary>Not before this time does the next attempt start (capped exponential backoff with jitter).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastErrorCode { get; set; }

    public string? LastErrorMessage { get; set; }

    public string? NodeName { get; set; }

    public int GpuCount { get; set; }

    public string? DeletionOperationId { get; set; }

    public DateTimeOffset? RequestedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The last recorded state of the create operation; null before the first poll (or without one to poll).</summary>
    public NodeOperationState? OperationState { get; set; }

    /// <summary>The last recorded state of the delete operation.</summary>
    public NodeOperationState? DeletionOperationState { get; set; }

    /// <summary>Creating, registered or GPU seen: an attempt is in flight.</summary>
    [JsonIgnore]
    public bool IsAttemptInFlight => Phase is MachinePhase.Creating or MachinePhase.NodeRegistered or MachinePhase.GpuCapacitySeen;

    [JsonIgnore]
    public bool IsSettled => Phase is MachinePhase.None or MachinePhase.Ready or MachinePhase.Failed or MachinePhase.Deleted;

    public void Apply(MachineEvent e)
    {
        UpdatedAt = e.Context.At;
        switch (e)
        {
            case MachineRequested x: Apply(x); break;
            case MachineCreationStarted x: Apply(x); break;
            case MachineAttemptFailed x: Apply(x); break;
            case MachineNodeRegistered x: Apply(x); break;
            case MachineGpuCapacityObserved x: Apply(x); break;
            case MachineBecameReady x: Apply(x); break;
            case MachineFailed x: Apply(x); break;
            case MachineDeletionRequested x: Apply(x); break;
            case MachineDeletionStarted x: Apply(x); break;
            case MachineDeleted x: Apply(x); break;
            case MachineNodeLost x: Apply(x); break;
            case MachineOperationProgressed x: Apply(x); break;
        }
    }

    public void Apply(MachineRequested e)
    {
        if (Phase is not MachinePhase.None)
        {
            return;
        }

        Spec = e.Spec;
        Phase = MachinePhase.Requested;
        RequestedAt = e.Context.At;
    }

    public void Apply(MachineCreationStarted e)
    {
        if (Phase is not MachinePhase.Requested || e.Attempt <= Attempt)
        {
            return;
        }

        Phase = MachinePhase.Creating;
        OperationId = e.OperationId;
        OperationState = null;
        Attempt = e.Attempt;
        PhaseDeadline = e.Deadline;
        NextAttemptAt = null;
    }

    public void Apply(MachineAttemptFailed e)
    {
        if (!(Phase is MachinePhase.Requested || IsAttemptInFlight) || e.Attempt < Attempt)
        {
            return;
        }

        Phase = MachinePhase.Requested;
        Attempt = e.Attempt;
        LastErrorCode = e.Code;
        LastErrorMessage = e.Message;
        NextAttemptAt = e.RetryAt;
        PhaseDeadline = null;
        NodeName = null;
        GpuCount = 0;
    }

    public void Apply(MachineNodeRegistered e)
    {
        if (Phase is not MachinePhase.Creating)
        {
            return;
        }

        NodeName = e.NodeName;
        PhaseDeadline = e.Deadline;
        Phase = MachinePhase.NodeRegistered;
    }

    public void Apply(MachineGpuCapacityObserved e)
    {
        if (Phase is not MachinePhase.NodeRegistered)
        {
            return;
        }

        GpuCount = e.GpuCount;
        Phase = MachinePhase.GpuCapacitySeen;
    }

    public void Apply(MachineBecameReady e)
    {
        if (Phase is not MachinePhase.GpuCapacitySeen)
        {
            return;
        }

        Phase = MachinePhase.Ready;
        PhaseDeadline = null;
    }

    public void Apply(MachineFailed e)
    {
        if (!(Phase is MachinePhase.Requested || IsAttemptInFlight))
        {
            return;
        }

        Phase = MachinePhase.Failed;
        Attempt = e.Attempt;
        LastErrorCode = e.Code;
        LastErrorMessage = e.Message;
        PhaseDeadline = null;
        NextAttemptAt = null;
    }

    public void Apply(MachineDeletionRequested e)
    {
        if (Phase is MachinePhase.Deleting or MachinePhase.Deleted)
        {
            return;
        }

        Phase = MachinePhase.Deleting;
        PhaseDeadline = null;
        NextAttemptAt = null;
    }

    public void Apply(MachineNodeLost e)
    {
        if (Phase is MachinePhase.Ready)
        {
            Phase = MachinePhase.Deleting;
            LastErrorCode = "NodeLost";
            LastErrorMessage = $"node {e.NodeName} is gone from the cluster";
        }
    }

    public void Apply(MachineDeletionStarted e)
    {
        if (Phase is MachinePhase.Deleting)
        {
            DeletionOperationId = e.OperationId;
            DeletionOperationState = null;
        }
    }

    /// <summary>
    /// A state of the current create or delete operation. A delete that failed or was canceled is started again (its
    /// id is cleared); a failed create is turned into an attempt failure by the grain's next event.
    /// </summary>
    public void Apply(MachineOperationProgressed e)
    {
        if (IsAttemptInFlight && e.OperationId == OperationId)
        {
            OperationState = e.State;
        }
        else if (Phase is MachinePhase.Deleting && e.OperationId == DeletionOperationId)
        {
            var failed = e.State is NodeOperationState.Failed or NodeOperationState.Canceled;
            DeletionOperationState = failed ? null : e.State;
            DeletionOperationId = failed ? null : DeletionOperationId;
            if (failed)
            {
                LastErrorCode = e.Code;
                LastErrorMessage = e.Message;
            }
        }
    }

    public void Apply(MachineDeleted e)
    {
        if (Phase is MachinePhase.Deleted)
        {
            return;
        }

        Phase = MachinePhase.Deleted;
        NodeName = null;
    }
}
