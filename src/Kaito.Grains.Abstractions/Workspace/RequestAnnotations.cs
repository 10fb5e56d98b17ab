using Kaito.Api.V1Alpha1;
using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// Annotations a Workspace carries when another system asked for it (a Service Bus message): the request id and the
/// sender. The grain records them as the actor of the spec events, and the status publisher answers with the request id.
/// </summary>
public static class RequestAnnotations
{
    public const string RequestId = "kaito.sh/request-id";
    public const string RequestedBy = "kaito.sh/requested-by";

    public static string? RequestIdOf(Workspace workspace) => Find(workspace, RequestId);

    /// <summary>
    /// The Service Bus message behind a spec the watch saw, as the command source; <paramref name="source"/> when the
    /// spec came another way (no annotation, or not through the watch).
    /// </summary>
    public static CommandSource SourceOf(Workspace workspace, CommandSource source)
    {
        if (source.Actor != Actors.KubernetesWatch || RequestIdOf(workspace) is not { } requestId)
        {
            return source;
        }

        return new CommandSource(Actors.ServiceBus(requestId, Find(workspace, RequestedBy) ?? "unknown"), source.Cause);
    }

    private static string? Find(Workspace workspace, string key) =>
        workspace.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
