using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>Sends what the watchers see to the Workspace and Machine grains, as the Kubernetes watch actor.</summary>
public sealed partial class GrainWatchSink(IGrainFactory grains, ILogger<GrainWatchSink> logger) : IWatchSink
{
    public async Task ApplySpecAsync(WorkspaceKey key, string workspaceJson, string cause, CancellationToken cancellationToken)
    {
        var result = await Workspace(key).ApplySpec(new WorkspaceSubmission(workspaceJson, Source(cause))).WaitAsync(cancellationToken);
        switch (result.Outcome)
        {
            case SpecApplyOutcome.Rejected:
                // The grain records the rejection and publishes it in the status; the log is for operators.
                LogRejected(key.ToString(), string.Join("; ", result.Errors));
                break;
            case SpecApplyOutcome.Accepted:
                LogAccepted(key.ToString(), result.Revision);
                break;
        }
    }

    public Task RequestDeletionAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken) =>
        Workspace(key).RequestDeletion(Source(cause)).WaitAsync(cancellationToken);

    public Task WorkloadChangedAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken) =>
        Workspace(key).Reconcile(Source(cause)).WaitAsync(cancellationToken);

    public Task MachineChangedAsync(string machineName, string cause, CancellationToken cancellationToken) =>
        grains.GetGrain<IMachineGrain>(machineName).Reconcile(Source(cause)).WaitAsync(cancellationToken);

    private IWorkspaceGrain Workspace(WorkspaceKey key) => grains.GetGrain<IWorkspaceGrain>(key.ToString());

    private static CommandSource Source(string cause) => new(Actors.KubernetesWatch, cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {Key} rejected: {Errors}")]
    private partial void LogRejected(string key, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {Key} accepted as revision {Revision}")]
    private partial void LogAccepted(string key, int revision);
}
