using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>One object seen by a watch or a list, as JSON (the bridge reads a few fields of many kinds).</summary>
public sealed record ResourceEvent(ResourceEventType Type, JsonObject Object)
{
    public string? Namespace => Metadata?["namespace"]?.GetValue<string>();

    public string? Name => Metadata?["name"]?.GetValue<string>();

    public string? Uid => Metadata?["uid"]?.GetValue<string>();

    public string? ResourceVersion => Metadata?["resourceVersion"]?.GetValue<string>();

    public long? Generation => Metadata?["generation"]?.GetValue<long>();

    public bool IsBeingDeleted => Metadata?["deletionTimestamp"] is not null;

    public string? Label(string name) => Metadata?["labels"]?[name]?.GetValue<string>();

    /// <summary><c>namespace/name</c> or <c>name</c>, for logs.</summary>
    public string DisplayName => Namespace is null ? Name ?? "?" : $"{Namespace}/{Name}";

    private JsonObject? Metadata => Object["metadata"] as JsonObject;
}
