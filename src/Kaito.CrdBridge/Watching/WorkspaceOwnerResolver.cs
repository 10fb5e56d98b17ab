using System.Text.Json.Nodes;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Finds the Workspace an object belongs to: its controller ownerReference to a kaito.sh Workspace (which carries the
/// UID), else the labels <c>kaito.sh/workspace</c> and <c>kaito.sh/workspacenamespace</c> (default: the object's own
/// namespace) with the UID from the <see cref="WorkspaceUidIndex"/>.
/// </summary>
public sealed class WorkspaceOwnerResolver(WorkspaceUidIndex index)
{
    /// <returns>Null when the object names no Workspace, or names one whose UID is not known.</returns>
    public WorkspaceKey? Resolve(ResourceEvent resourceEvent)
    {
        var ns = resourceEvent.Namespace;
        if (ns is not null && resourceEvent.Object["metadata"]?["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners.OfType<JsonObject>())
            {
                if (owner["kind"]?.GetValue<string>() == "Workspace"
                    && owner["apiVersion"]?.GetValue<string>()?.StartsWith("kaito.sh/", StringComparison.Ordinal) == true
                    && owner["name"]?.GetValue<string>() is { Length: > 0 } ownerName
                    && owner["uid"]?.GetValue<string>() is { Length: > 0 } ownerUid)
                {
                    return new WorkspaceKey(ns, ownerName, ownerUid);
                }
            }
        }

        var name = resourceEvent.Label(WatchedResource.WorkspaceLabel);
        var workspaceNamespace = resourceEvent.Label(WatchedResource.WorkspaceNamespaceLabel) ?? ns;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(workspaceNamespace))
        {
            return null;
        }

        return index.Find(workspaceNamespace, name) is { } uid ? new WorkspaceKey(workspaceNamespace, name, uid) : null;
    }
}
