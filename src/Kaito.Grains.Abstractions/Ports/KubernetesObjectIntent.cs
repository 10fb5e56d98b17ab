using System.Collections.Immutable;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Ports;

/// <summary>
/// "Make this object match this revision of this Workspace." The adapter builds the manifest (a pure function of the
/// spec, the preset and the SKU) and applies it server-side; the grain only decides that it is time.
/// </summary>
/// <param name="Target">The object to apply: ControllerRevision, Service, Deployment, StatefulSet or Job.</param>
/// <param name="Revision">The revision number (upstream's <c>workspace.kaito.io/revision</c> annotation).</param>
/// <param name="WorkerNodes">The nodes the workload must run on.</param>
public sealed record KubernetesObjectIntent(
    KubernetesObjectReference Target,
    string WorkspaceKey,
    int Revision,
    WorkspaceSpecRecord Spec,
    ImmutableArray<string> WorkerNodes);
