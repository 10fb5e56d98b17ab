using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// The newest Workspace object this silo knows, by namespace/name: what the Workspace watch last delivered, or what a
/// write of ours got back, whichever is newer. The status publisher and the finalizer start from it instead of reading
/// the object first; a stale copy costs a 409 Conflict and a fresh read, never a lost write.
/// </summary>
public sealed class WorkspaceObjectCache
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), JsonObject> _objects = new();

    /// <summary>A copy of the object, or null when none is known.</summary>
    public JsonObject? Find(string ns, string name) =>
        _objects.TryGetValue((ns, name), out var obj) ? obj.DeepClone().AsObject() : null;

    /// <summary>Keeps <paramref name="obj"/> unless a newer version of it is kept already.</summary>
    public void Offer(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata
            || metadata["namespace"]?.GetValue<string>() is not { } ns || metadata["name"]?.GetValue<string>() is not { } name)
        {
            return;
        }

        var copy = obj.DeepClone().AsObject();
        _objects.AddOrUpdate((ns, name), copy, (_, kept) => IsNewer(copy, kept) ? copy : kept);
    }

    public void Remove(string ns, string name) => _objects.TryRemove((ns, name), out _);

    /// <summary>
    /// Newer when it is another object (another UID) or its resourceVersion is larger. resourceVersions are opaque to
    /// clients; when one is not a number the offered copy wins, and a wrong guess costs one conflict.
    /// </summary>
    private static bool IsNewer(JsonObject offered, JsonObject kept)
    {
        if (Uid(offered) != Uid(kept))
        {
            return true;
        }

        return !ulong.TryParse(Version(offered), NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !ulong.TryParse(Version(kept), NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || a >= b;
    }

    private static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    private static string? Version(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();
}
