using System.Collections.Immutable;
using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>Every node the Workspace needs is ready: ResourceReady=True.</summary>
[GenerateSerializer, Immutable, Alias("workspace.resourceReady")]
public sealed record ResourcesBecameReady(EventContext Context, [property: Id(0)] ImmutableArray<string> WorkerNodes) : WorkspaceEvent(Context)
{
    public override string Describe() => $"ResourceReady: {string.Join(", ", WorkerNodes)}";
}
