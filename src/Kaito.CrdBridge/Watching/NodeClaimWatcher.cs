using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Watches Karpenter NodeClaims (karpenter.sh/v1) or Machines (karpenter.sh/v1alpha5) labelled for a Workspace: each
/// event pokes the machine grain of the same name and the owning Workspace. A cluster without the CRD is tolerated:
/// the <see cref="ResourceWatcher"/> looks again slowly.
/// </summary>
public sealed partial class NodeClaimWatcher(ResourceWatcher watcher, WorkspaceOwnerResolver owners, PokeDispatcher pokes,
    ILogger<NodeClaimWatcher> logger) : IBridgeWatcher, IResourceEventHandler
{
    public Task RunAsync(CancellationToken cancellationToken) => watcher.RunAsync(this, cancellationToken);

    public Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        var cause = WorkloadWatcher.Cause(watcher.Resource, resourceEvent.Type);
        if (resourceEvent.Name is { } name)
        {
            pokes.PokeMachine(name, cause);
        }

        if (owners.Resolve(resourceEvent) is { } key)
        {
            pokes.PokeWorkspace(key, cause);
        }
        else
        {
            LogNoOwner(watcher.Resource.Kind, resourceEvent.DisplayName);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Kind} {Object} names no known Workspace")]
    private partial void LogNoOwner(string kind, string @object);
}
