namespace Kaito.Grains.Workspaces;

/// <summary>Upstream's reconcile order as a pure function of state and time: the grain asks it what to do next.</summary>
public static class WorkspacePlanner
{
    /// <summary>The next step, with no replacement machine due yet (a pending one waits).</summary>
    public static WorkspaceStep Next(WorkspaceState state) => Next(state, DateTimeOffset.MinValue);

    public static WorkspaceStep Next(WorkspaceState state, DateTimeOffset now)
    {
        // A failed machine's node is released first, whatever else is due: its replacement (or a new revision) follows.
        if (state.HasFailedMachineToRelease && state.Phase is not (WorkspacePhase.None or WorkspacePhase.Deleting or WorkspacePhase.Deleted))
        {
            return WorkspaceStep.ReleaseFailedMachines;
        }

        return state.Phase switch
        {
            WorkspacePhase.Requested or WorkspacePhase.ProvisioningNodes when state.Spec is { } spec =>
                state.LiveMachineCount < spec.NodeCount ? WorkspaceStep.ProvisionNodes
                : state.ReadyMachineCount >= spec.NodeCount ? WorkspaceStep.MarkResourcesReady
                : WorkspaceStep.AwaitNodes,
            WorkspacePhase.Failed when state.NextMachineRetryAt is { } at && state.Spec is { } spec =>
                now < at ? WorkspaceStep.AwaitMachineRetry
                : state.LiveMachineCount < spec.NodeCount ? WorkspaceStep.ProvisionNodes
                : WorkspaceStep.None,
            WorkspacePhase.NodesReady => WorkspaceStep.ApplyWorkload,
            // Ready is settled (no fast timer), but a poke from the watch or the slow re-observe timer looks again.
            WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning =>
                state.AppliedRevisionHash == state.Spec?.RevisionHash ? WorkspaceStep.ObserveWorkload : WorkspaceStep.ApplyWorkload,
            WorkspacePhase.Deleting => state.Machines.Values.Any(m => !m.Deleted) ? WorkspaceStep.ReleaseMachines : WorkspaceStep.FinishDeletion,
            _ => WorkspaceStep.None,
        };
    }

    /// <summary>The nodes of the ready machines, in a stable order: <c>status.workerNodes</c>.</summary>
    public static IReadOnlyList<string> WorkerNodes(WorkspaceState state) =>
        [.. state.Machines.Values.Where(m => m is { Ready: true, Deleted: false, NodeName: not null }).Select(m => m.NodeName!).Order(StringComparer.Ordinal)];
}
