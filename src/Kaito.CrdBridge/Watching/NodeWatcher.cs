using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Watches nodes labelled <c>kaito.sh/workspace</c> (made for a workspace) or <c>kaito.sh/machine</c> (claimed by a
/// bring-your-own machine): each event pokes the Workspace named by the node's labels, if any, and the machine the node
/// is for (the claim label, label <c>karpenter.sh/nodeclaim</c>, the AKS agent pool that gpu-provisioner names after
/// the NodeClaim, or the NodeClaim/Machine that owns the node), so a lost node is noticed at once.
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
        if (MachineOf(resourceEvent) is { Length: > 0 } machine)
        {
            pokes.PokeMachine(machine, cause);
        }

        if (owners.Resolve(resourceEvent) is { } key)
        {
            pokes.PokeWorkspace(key, cause);
        }
        else if (resourceEvent.Label(WatchedResource.ClaimedNodeLabel) is null)
        {
            LogNoOwner(resourceEvent.DisplayName);
        }

        return Task.CompletedTask;
    }

    private static string? MachineOf(ResourceEvent node) =>
        node.Label(WatchedResource.ClaimedNodeLabel) ?? node.Label(NodeClaimLabel) ?? node.Label(AgentPoolLabel)
        ?? (node.Object["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(o => o["kind"]?.GetValue<string>() is "NodeClaim" or "Machine")
            .Select(o => o["name"]?.GetValue<string>()).FirstOrDefault();

    [LoggerMessage(Level = LogLevel.Debug, Message = "The node {Node} names no known Workspace")]
    private partial void LogNoOwner(string node);
}
