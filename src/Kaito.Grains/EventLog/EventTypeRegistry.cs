using System.Collections.Frozen;
using System.Reflection;

namespace Kaito.Grains.EventLog;

/// <summary>
/// Maps the stable type names stored in the Type column (each event's Orleans <c>[Alias]</c>, e.g.
/// <c>workspace.requested</c>) to event classes and back. No CLR type or assembly name is ever stored.
/// </summary>
public sealed class EventTypeRegistry<TEvent>
    where TEvent : class
{
    private readonly FrozenDictionary<string, Type> _byName;
    private readonly FrozenDictionary<Type, string> _byType;

    public EventTypeRegistry()
    {
        var pairs = typeof(TEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(TEvent).IsAssignableFrom(t))
            .Select(t => (Type: t, Name: t.GetCustomAttribute<AliasAttribute>()?.Alias
                ?? throw new InvalidOperationException($"Event {t.Name} has no [Alias]: its stored type name would not be stable.")))
            .ToList();
        var duplicate = pairs.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Event type name '{duplicate.Key}' is used by {string.Join(", ", duplicate.Select(p => p.Type.Name))}.");
        }

        _byName = pairs.ToFrozenDictionary(p => p.Name, p => p.Type, StringComparer.Ordinal);
        _byType = pairs.ToFrozenDictionary(p => p.Type, p => p.Name);
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public string NameOf(TEvent e) => _byType.TryGetValue(e.GetType(), out var name)
        ? name
        : throw new InvalidOperationException($"Event {e.GetType().Name} is not registered.");

    public bool TryGetType(string name, out Type type) => _byName.TryGetValue(name, out type!);
}
