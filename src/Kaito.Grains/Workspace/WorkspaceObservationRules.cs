using Kaito.Grains.EventLog;
using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Retries;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// Which events an observation is worth, as pure functions of state. An observation that tells nothing new
/// (a redelivery, a resync) yields no event.
/// </summary>
public static class WorkspaceObservationRules
{
    public static IReadOnlyList<WorkspaceEvent> OnWorkload(WorkspaceState state, WorkloadObservation o, EventContext context)
    {
        var events = new List<WorkspaceEvent>();
        if (state.Spec is null || state.AppliedRevisionHash is null)
        {
            return events;
        }

        if (Scheduled(state, o, context) is { } scheduled)
        {
            events.Add(scheduled);
        }

        if (state.Spec.Mode == WorkspaceMode.Inference && state.Phase is WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready)
        {
            if (o.ReadyReplicas != state.ReadyReplicas || o.DesiredReplicas != state.DesiredReplicas)
            {
                events.Add(new WorkloadReplicasObserved(context, o.ReadyReplicas, o.DesiredReplicas));
            }

            if (o.ProblemReason != state.WorkloadProblemReason || (o.ProblemReason is not null && o.ProblemMessage != state.WorkloadProblemMessage))
            {
                events.Add(new WorkloadProblemObserved(context, o.ProblemReason, o.ProblemMessage));
            }

            // A pod in a crash loop is not serving, whatever the replica count says (upstream #1493, #931).
            var allReady = o.DesiredReplicas > 0 && o.ReadyReplicas >= o.DesiredReplicas && o.ProblemReason is null;
            if (state.Phase is WorkspacePhase.DeployingWorkload && allReady)
            {
                events.Add(new InferenceBecameReady(context));
            }
            else if (state.Phase is WorkspacePhase.Ready && !allReady)
            {
                events.Add(new InferenceBecameUnready(context, o.ProblemReason is { } reason
                    ? $"{reason}: {o.ProblemMessage}"
                    : $"{o.ReadyReplicas}/{o.DesiredReplicas} replicas ready"));
            }
        }
        else if (state.Spec.Mode == WorkspaceMode.Tuning && state.Phase is WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning)
        {
            if (state.Phase is WorkspacePhase.TuningJobSubmitted && (o.JobActive || o.JobSucceeded || o.JobFailed))
            {
                events.Add(new TuningJobStarted(context));
            }

            if (o.JobSucceeded)
            {
                events.Add(new TuningJobSucceeded(context));
            }
            else if (o.JobFailed)
            {
                events.Add(new WorkspaceFailed(context, "TuningJobFailed", o.JobFailureMessage ?? "the tuning job failed"));
            }
        }

        return events;
    }

    /// <summary>Every pod of a freshly applied workload is bound to a node (a ready pod is): the WorkloadScheduled phase ends.</summary>
    private static WorkloadScheduledObserved? Scheduled(WorkspaceState state, WorkloadObservation o, EventContext context) =>
        state.Phase is WorkspacePhase.DeployingWorkload or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning
            && state.ColdStart is { WorkloadAppliedAt: not null, ScheduledAt: null, ReadyAt: null }
            && Math.Max(o.ScheduledPods, o.ReadyReplicas) is var pods && o.DesiredReplicas > 0 && pods >= o.DesiredReplicas
            ? new WorkloadScheduledObserved(context, pods, o.DesiredReplicas)
            : null;

    /// <param name="unitRandom">A number in [0, 1) for the jitter of a replacement's backoff.</param>
    public static IReadOnlyList<WorkspaceEvent> OnMachine(WorkspaceState state, MachineReport report, EventContext context,
        MachineProvisioningOptions options, double unitRandom)
    {
        if (!state.Machines.TryGetValue(report.MachineId, out var machine))
        {
            return [];
        }

        // A failed attempt that will be retried: say why in ResourceReady now (a final failure fails the workspace below).
        if (report.Phase is MachinePhase.Requested or MachinePhase.Creating && !machine.Ready && !machine.Deleted
            && report.ErrorCode is { } code && (code != machine.ProblemCode || report.ErrorMessage != machine.ProblemMessage)
            && state.Phase is WorkspacePhase.Requested or WorkspacePhase.ProvisioningNodes)
        {
            return [new MachineProblemObserved(context, report.MachineId, code, report.ErrorMessage ?? "")];
        }

        return report.Phase switch
        {
            MachinePhase.Ready when !machine.Ready && !machine.Deleted && !machine.Failed && state.Phase is not (WorkspacePhase.Deleting or WorkspacePhase.Deleted) =>
                [new MachineReadyObserved(context, report.MachineId, report.NodeName ?? "")],
            MachinePhase.Failed when !machine.Failed && !machine.Deleted
                && state.Phase is not (WorkspacePhase.None or WorkspacePhase.Deleting or WorkspacePhase.Deleted) =>
                [MachineFailed(state, report, context, options, unitRandom)],
            MachinePhase.Deleted when !machine.Deleted => [new MachineDeletionObserved(context, report.MachineId)],
            _ => [],
        };
    }

    /// <summary>A machine failed for good: schedule its replacement after a capped, jittered backoff, or give up at the cap.</summary>
    public static MachineFailureObserved MachineFailed(WorkspaceState state, MachineReport report, EventContext context,
        MachineProvisioningOptions options, double unitRandom)
    {
        var retry = state.MachineRetries + 1;
        var code = report.ErrorCode ?? "MachineFailed";
        var message = report.ErrorMessage ?? "the machine failed";
        return retry > options.MaxReplacements
            ? new MachineFailureObserved(context, report.MachineId, code, message, state.MachineRetries, null)
            : new MachineFailureObserved(context, report.MachineId, code, message, retry,
                context.At + RetryBackoff.Delay(retry, options.ReplacementBackoffBase, options.ReplacementBackoffCap, options.JitterRatio, unitRandom));
    }
}
