namespace Kaito.Grains.Workspaces;

/// <summary>What a Workspace's reconcile pass does next; see <see cref="WorkspacePlanner"/>.</summary>
public enum WorkspaceStep
{
    None,
    /// <summary>Fewer live machines than resource.count: ensure the finalizer and the revision, request the rest.</summary>
    ProvisionNodes,
    /// <summary>Machines requested, not all ready: ask them.</summary>
    AwaitNodes,
    /// <summary>Every machine ready: ResourceReady.</summary>
    MarkResourcesReady,
    /// <summary>Nodes ready and the revision's workload not applied yet.</summary>
    ApplyWorkload,
    /// <summary>Workload applied: read its replicas or Job.</summary>
    ObserveWorkload,
    /// <summary>Deleting with machines left: release them.</summary>
    ReleaseMachines,
    /// <summary>Deleting and every machine gone: remove the finalizer.</summary>
    FinishDeletion,
    /// <summary>A machine failed for good: release its node before anything else.</summary>
    ReleaseFailedMachines,
    /// <summary>Failed, with a replacement machine due later (backoff).</summary>
    AwaitMachineRetry,
}
