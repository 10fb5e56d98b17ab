using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Watches nodes labelled <c>kaito.sh/workspace</c>: each event pokes the Workspace named by the node's labels and
/// the machine the node was made for (label <c>karpenter.sh/nodeclaim</c>, or the AKS agent pool that gpu-provisioner
/// names after the NodeClaim). Unlabelled (bring-your-own) nodes are left to the grains' own reconcile timers.
/// </summary>
public sealed partial class NodeWatcher(ResourceWatcher watcher, WorkspaceOwnerResolver owners, PokeDispatcher pokes,
    ILogger<NodeWatcher> logger) : IBridgeWatcher, IResourceEventHandler
{
    public const string NodeClaimLabel = "karpenter.sh/nodeclaim";
    public const string AgentPoolLabel = "kubernetes.azure.com/agentpool";

    public Task RunAsync(CancellationToken cancellationToken) => watcher.RunAsync(this, cancellationToken);

    public Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        var cause = WorkloadWatcher.Cause(watcher.Resource, resourceEvent.Type);
        if ((resourceEvent.Label(NodeClaimLabel) ?? resourceEvent.Label(AgentPoolLabel)) is { Length: > 0 } machine)
        {
            pokes.PokeMachine(machine, cause);
        }

        if (owners.Resolve(resourceEvent) is { } key)
        {
            pokes.PokeWorkspace(key, cause);
        }
        else
        {
            LogNoOwner(resourceEvent.DisplayName);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The node {Node} names no known Workspace")]
    private partial void LogNoOwner(string node);
}
