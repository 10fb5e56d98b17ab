using System.Collections.Concurrent;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// The UID of each Workspace object by <c>namespace/name</c>, kept by the <see cref="WorkspaceWatcher"/>, so that an
/// object that names its Workspace only by labels (a Pod, a node) can be routed to the grain keyed <c>ns/name/uid</c>;
/// and the resourceVersion the watch last saw, for the involvedObject of Kubernetes Events.
/// </summary>
public sealed class WorkspaceUidIndex
{
    private readonly ConcurrentDictionary<string, string> _uids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _resourceVersions = new(StringComparer.Ordinal);

    public void Set(string ns, string name, string uid, string? resourceVersion = null)
    {
        _uids[Key(ns, name)] = uid;
        if (resourceVersion is not null)
        {
            _resourceVersions[uid] = resourceVersion;
        }
    }

    /// <summary>Forgets the entry if it still holds <paramref name="uid"/> (a newer object of the same name stays).</summary>
    public void Remove(string ns, string name, string uid)
    {
        _uids.TryRemove(new KeyValuePair<string, string>(Key(ns, name), uid));
        _resourceVersions.TryRemove(uid, out _);
    }

    public string? Find(string ns, string name) => _uids.TryGetValue(Key(ns, name), out var uid) ? uid : null;

    /// <summary>The resourceVersion last seen of the object with this UID; null when it was not seen.</summary>
    public string? FindResourceVersion(string ns, string name, string uid) =>
        Find(ns, name) == uid && _resourceVersions.TryGetValue(uid, out var version) ? version : null;

    /// <summary>Every Workspace known now, keyed <c>namespace/name/uid</c>.</summary>
    public IReadOnlyList<WorkspaceKey> All() =>
    [
        .. _uids.Select(kv => new WorkspaceKey(kv.Key[..kv.Key.IndexOf('/', StringComparison.Ordinal)], kv.Key[(kv.Key.IndexOf('/', StringComparison.Ordinal) + 1)..], kv.Value)),
    ];

    private static string Key(string ns, string name) => $"{ns}/{name}";
}
