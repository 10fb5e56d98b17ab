using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Where the watchers send what they see. Production: <see cref="GrainWatchSink"/> (the Workspace and Machine
/// grains); tests: a recording sink. <paramref name="cause"/> arguments read like <c>watch:modified</c>.
/// </summary>
public interface IWatchSink
{
    /// <summary>A Workspace object exists and is not being deleted: its full JSON (the grain compares generations).</summary>
    Task ApplySpecAsync(WorkspaceKey key, string workspaceJson, string cause, CancellationToken cancellationToken);

    /// <summary>A Workspace object has a deletionTimestamp.</summary>
    Task RequestDeletionAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken);

    /// <summary>Something the Workspace owns changed (a Deployment, a Pod, its node): reconcile.</summary>
    Task WorkloadChangedAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken);

    /// <summary>A NodeClaim, Machine or node of this machine changed: reconcile.</summary>
    Task MachineChangedAsync(string machineName, string cause, CancellationToken cancellationToken);
}
