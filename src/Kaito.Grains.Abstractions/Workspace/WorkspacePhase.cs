namespace Kaito.Grains.Workspaces;

/// <summary>Where a Workspace is in its life. Values are stored by name, never by number.</summary>
public enum WorkspacePhase
{
    /// <summary>No spec accepted yet.</summary>
    None,
    Requested,
    ProvisioningNodes,
    /// <summary>Every node is ready: ResourceReady=True.</summary>
    NodesReady,
    DeployingWorkload,
    /// <summary>InferenceReady=True and WorkspaceSucceeded=True.</summary>
    Ready,
    TuningJobSubmitted,
    TuningJobRunning,
    TuningJobSucceeded,
    Failed,
    Deleting,
    Deleted,
}
