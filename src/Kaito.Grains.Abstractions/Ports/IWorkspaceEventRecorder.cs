namespace Kaito.Grains.Ports;

/// <summary>
/// Tells the user what a Workspace decided, where <c>kubectl describe workspace</c> shows it: one Kubernetes Event per
/// notice on the Workspace object, deduplicated as client-go's event recorder does. The grain calls it once per newly
/// recorded decision, never on replay. Best effort: a notice that cannot be written is logged and dropped, and the
/// call must not wait on the API server.
/// </summary>
public interface IWorkspaceEventRecorder
{
    Task RecordAsync(IReadOnlyList<WorkspaceEventNotice> notices, CancellationToken cancellationToken = default);
}
