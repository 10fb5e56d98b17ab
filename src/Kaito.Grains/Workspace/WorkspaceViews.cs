using Kaito.Api.V1Alpha1;

namespace Kaito.Grains.Workspaces;

/// <summary>Workspace state as a view with upstream's status conditions.</summary>
public static class WorkspaceViews
{
    public static WorkspaceView From(string key, int version, WorkspaceState s, int reconcileFailures = 0, int publishFailures = 0) => new(
        key,
        version,
        s.Phase,
        s.Generation,
        s.Revision,
        s.Spec?.RevisionHash,
        s.Spec?.Mode,
        s.Spec?.InstanceType,
        s.Spec?.NodeCount ?? 0,
        [.. s.WorkerNodes],
        [.. s.Machines.Values.OrderBy(m => m.MachineId, StringComparer.Ordinal)
            .Select(m => new WorkspaceMachineView(m.MachineId, m.InstanceType, m.Ready, m.NodeName, m.Deleted, m.Failed))],
        Conditions(s),
        s.FailureReason,
        s.FailureMessage,
        s.RejectionMessage,
        s.UpdatedAt,
        s.MachineRetries,
        s.NextMachineRetryAt,
        reconcileFailures,
        publishFailures,
        ColdStartPhases.Of(s.ColdStart));

    public static IReadOnlyList<WorkspaceConditionView> Conditions(WorkspaceState s)
    {
        var p = s.Phase;
        var nodesReady = p is WorkspacePhase.NodesReady or WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready
            or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning or WorkspacePhase.TuningJobSucceeded;
        var failed = p is WorkspacePhase.Failed;
        var machineProblem = s.Machines.Values.Where(m => m is { Ready: false, Deleted: false, Failed: false, ProblemCode: not null })
            .OrderBy(m => m.MachineId, StringComparer.Ordinal).FirstOrDefault();
        var provisioningMessage = $"{s.ReadyMachineCount}/{s.Spec?.NodeCount ?? 0} node(s) ready"
            + (machineProblem is null ? "" : $"; machine {machineProblem.MachineId}: {machineProblem.ProblemCode}: {machineProblem.ProblemMessage}")
            + (s.MachineRetries > 0 && s.FailureMessage is { } last ? $"; replacement {s.MachineRetries} after {last}" : "");
        var conditions = new List<WorkspaceConditionView>
        {
            Condition(ConditionTypes.ResourceReady, nodesReady,
                nodesReady ? "NodesReady" : failed ? s.FailureReason ?? "Failed" : machineProblem?.ProblemCode ?? "Provisioning",
                nodesReady ? $"{s.WorkerNodes.Count} node(s) ready" : failed ? s.FailureMessage ?? "" : provisioningMessage),
        };
        if (s.Spec?.Mode == WorkspaceMode.Tuning)
        {
            var started = p is WorkspacePhase.TuningJobRunning or WorkspacePhase.TuningJobSucceeded;
            conditions.Add(Condition(ConditionTypes.JobStarted, started, started ? "JobStarted" : "Pending",
                started ? "the tuning job has started" : "waiting for the tuning job to start"));
        }
        else
        {
            var ready = p is WorkspacePhase.Ready;
            conditions.Add(Condition(ConditionTypes.InferenceReady, ready, ready ? "InferenceReady" : s.WorkloadProblemReason ?? "Pending",
                $"{s.ReadyReplicas}/{s.DesiredReplicas} replicas ready" + (s.WorkloadProblemReason is null ? "" : $"; {s.WorkloadProblemMessage}")));
        }

        var succeeded = p is WorkspacePhase.Ready or WorkspacePhase.TuningJobSucceeded;
        conditions.Add(Condition(ConditionTypes.WorkspaceSucceeded, succeeded,
            succeeded ? "Succeeded" : failed ? s.FailureReason ?? "Failed" : "Pending",
            succeeded ? (p is WorkspacePhase.Ready ? "the workspace serves" : "the tuning job succeeded")
            : failed ? s.FailureMessage ?? "failed" : $"phase {p}"));
        if (p is WorkspacePhase.Deleting or WorkspacePhase.Deleted)
        {
            conditions.Add(Condition(ConditionTypes.WorkspaceDeleting, true, "Deleting", "releasing the machines, then the finalizer"));
        }

        return conditions;
    }

    private static WorkspaceConditionView Condition(string type, bool status, string reason, string message) =>
        new(type, status ? "True" : "False", reason, message);
}
