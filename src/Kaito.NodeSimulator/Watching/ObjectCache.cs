using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Kaito.NodeSimulator.Watching;

/// <summary>The latest copy of each watched object, keyed by (namespace/)name; tells its owner what changed.</summary>
internal sealed class ObjectCache<T>(Action<string, T?, T?> changed) : IWatchSink<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    public static string KeyOf(T item) =>
        item.Metadata.NamespaceProperty is { Length: > 0 } ns ? ns + "/" + item.Metadata.Name : item.Metadata.Name;

    public IEnumerable<T> Values => _items.Values;

    public bool TryGet(string key, out T item) => _items.TryGetValue(key, out item!);

    public void Replace(IEnumerable<T> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(KeyOf(item));
            Upsert(item);
        }

        foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_items.TryRemove(key, out var old))
            {
                changed(key, old, null);
            }
        }
    }

    public void Upsert(T item)
    {
        var key = KeyOf(item);
        T? old = null;
        _items.AddOrUpdate(key, item, (_, existing) =>
        {
            old = existing;
            return item;
        });
        changed(key, old, item);
    }

    public void Remove(T item)
    {
        var key = KeyOf(item);
        _items.TryRemove(key, out var old);
        changed(key, old ?? item, null);
    }
}
