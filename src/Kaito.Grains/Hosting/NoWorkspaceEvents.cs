using Kaito.Grains.Ports;

namespace Kaito.Grains.Hosting;

/// <summary>The recorder of a host that writes no Kubernetes Events (tests, hosts without a cluster).</summary>
public sealed class NoWorkspaceEvents : IWorkspaceEventRecorder
{
    public Task RecordAsync(IReadOnlyList<WorkspaceEventNotice> notices, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
