using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Ports;
using Kaito.Grains.Retries;

namespace Kaito.Grains.Machines;

/// <summary>Node provisioning decisions as pure functions of state, time and options.</summary>
public static class MachinePlanner
{
    public static MachineStep Next(MachineState state, DateTimeOffset now) => state.Phase switch
    {
        MachinePhase.Requested => state.NextAttemptAt is { } at && now < at ? MachineStep.AwaitBackoff : MachineStep.StartCreation,
        MachinePhase.Creating or MachinePhase.NodeRegistered or MachinePhase.GpuCapacitySeen =>
            state.PhaseDeadline is { } deadline && now > deadline ? MachineStep.PhaseTimedOut : MachineStep.AwaitNode,
        MachinePhase.Ready => MachineStep.CheckNode,
        MachinePhase.Deleting => state.DeletionOperationId is null ? MachineStep.StartDeletion : MachineStep.AwaitDeletion,
        _ => MachineStep.None,
    };

    /// <summary>The timeout code of the phase a machine is in.</summary>
    public static string TimeoutCode(MachineState state) =>
        state.Phase == MachinePhase.Creating ? "NodeRegistrationTimeout" : "GpuReadyTimeout";

    /// <summary>Capped exponential backoff: base * 2^(attempt-1), at most the cap, less up to JitterRatio of it at random.</summary>
    /// <param name="unitRandom">A number in [0, 1), e.g. <c>Random.Shared.NextDouble()</c>.</param>
    public static TimeSpan Backoff(int attempt, MachineProvisioningOptions options, double unitRandom) =>
        RetryBackoff.Delay(attempt, options.BackoffBase, options.BackoffCap, options.JitterRatio, unitRandom);

    /// <summary>A failed attempt: retry after the backoff, or give up when it was the last one or cannot succeed.</summary>
    public static MachineEvent Failure(EventContext context, int attempt, string code, string message, bool permanent,
        MachineProvisioningOptions options, double unitRandom) =>
        permanent || attempt >= options.MaxAttempts
            ? new MachineFailed(context, code, permanent ? message : $"{message} (gave up after {attempt} attempt(s))", attempt)
            : new MachineAttemptFailed(context, attempt, code, message, context.At + Backoff(attempt, options, unitRandom));

    /// <summary>What a node observation is worth. A redelivered observation yields no event.</summary>
    /// <param name="gpuRequired">False for SKUs without GPUs: their nodes do not wait for nvidia.com/gpu capacity.</param>
    public static IReadOnlyList<MachineEvent> OnNode(MachineState state, NodeObservation node, EventContext context, MachineProvisioningOptions options,
        bool gpuRequired = true) =>
        OnNode(state.Phase, node, context, options, gpuRequired);

    /// <summary>What a node observation is worth to a machine in <paramref name="phase"/>.</summary>
    public static IReadOnlyList<MachineEvent> OnNode(MachinePhase phase, NodeObservation node, EventContext context, MachineProvisioningOptions options,
        bool gpuRequired = true)
    {
        var events = new List<MachineEvent>();
        if (phase is MachinePhase.Creating)
        {
            events.Add(new MachineNodeRegistered(context, node.NodeName, context.At + options.GpuReadyTimeout));
            phase = MachinePhase.NodeRegistered;
        }

        if (phase is MachinePhase.NodeRegistered && (node.GpuCapacity > 0 || !gpuRequired))
        {
            events.Add(new MachineGpuCapacityObserved(context, node.GpuCapacity));
            phase = MachinePhase.GpuCapacitySeen;
        }

        if (phase is MachinePhase.GpuCapacitySeen && node.Ready)
        {
            events.Add(new MachineBecameReady(context));
        }

        return events;
    }

    /// <summary>
    /// A poll of the create operation: its state when it changed, and a failed attempt (retried, or final when the cloud
    /// says retrying cannot help) when the operation failed or its pool vanished.
    /// </summary>
    public static IReadOnlyList<MachineEvent> OnCreateOperation(MachineState state, NodeOperationStatus status, EventContext context,
        MachineProvisioningOptions options, double unitRandom)
    {
        if (state.OperationId is not { } operation || state.Phase is not MachinePhase.Creating)
        {
            return [];
        }

        var events = new List<MachineEvent>();
        if (status.State != state.OperationState)
        {
            events.Add(new MachineOperationProgressed(context, operation, status.State, status.ErrorCode, status.ErrorMessage));
        }

        if (status.State is NodeOperationState.Failed or NodeOperationState.Canceled)
        {
            events.Add(Failure(context, state.Attempt, status.ErrorCode ?? "OperationFailed", status.ErrorMessage ?? $"the create operation ended {status.State}",
                status.Permanent, options, unitRandom));
        }

        return events;
    }
}
