namespace Kaito.Grains.Workspaces;

/// <summary>Upstream's reconcile order as a pure function of state: the grain asks it what to do next.</summary>
public static class WorkspacePlanner
{
    public static WorkspaceStep Next(WorkspaceState state) => state.Phase switch
    {
        WorkspacePhase.Requested or WorkspacePhase.ProvisioningNodes when state.Spec is { } spec =>
            state.LiveMachineCount < spec.NodeCount ? WorkspaceStep.ProvisionNodes
            : state.ReadyMachineCount >= spec.NodeCount ? WorkspaceStep.MarkResourcesReady
            : WorkspaceStep.AwaitNodes,
        WorkspacePhase.NodesReady => WorkspaceStep.ApplyWorkload,
        // Ready is settled (no timer), but a poke from the watch looks again: a crash loop or a deleted Deployment.
        WorkspacePhase.DeployingWorkload or WorkspacePhase.Ready or WorkspacePhase.TuningJobSubmitted or WorkspacePhase.TuningJobRunning =>
            state.AppliedRevisionHash == state.Spec?.RevisionHash ? WorkspaceStep.ObserveWorkload : WorkspaceStep.ApplyWorkload,
        WorkspacePhase.Deleting => state.Machines.Values.Any(m => !m.Deleted) ? WorkspaceStep.ReleaseMachines : WorkspaceStep.FinishDeletion,
        _ => WorkspaceStep.None,
    };

    /// <summary>The nodes of the ready machines, in a stable order: <c>status.workerNodes</c>.</summary>
    public static IReadOnlyList<string> WorkerNodes(WorkspaceState state) =>
        [.. state.Machines.Values.Where(m => m is { Ready: true, Deleted: false, NodeName: not null }).Select(m => m.NodeName!).Order(StringComparer.Ordinal)];
}
