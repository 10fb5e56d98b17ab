using System.Text.Json;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>
/// Property: for seeded random sequences of every event type, the state from a snapshot (state JSON at a random cut,
/// read back) plus the tail (each event encoded to its row and decoded again) equals the state from replaying every
/// event, on every field (compared as JSON). A field that a snapshot drops or a row mangles breaks this.
/// </summary>
public sealed class SnapshotReplayPropertyTests
{
    private const int Sequences = 400;
    private const int MaxLength = 80;

    [Fact]
    public void Workspace_snapshot_plus_tail_equals_full_replay() => Check(WorkspaceAggregate.Instance);

    [Fact]
    public void Machine_snapshot_plus_tail_equals_full_replay() => Check(MachineAggregate.Instance);

    private static void Check<TState, TEvent>(IAggregateDefinition<TState, TEvent> definition)
        where TState : class, new()
        where TEvent : class, IAggregateEvent
    {
        var types = RandomEvents.TypesOf<TEvent>();
        var codec = new EventRowCodec<TEvent>(definition.Kind, new EventTypeRegistry<TEvent>());
        var applied = new HashSet<Type>();
        for (var seed = 0; seed < Sequences; seed++)
        {
            var random = new Random(seed);
            var events = Applicable(definition, new RandomEvents(random), types, random.Next(1, MaxLength));
            applied.UnionWith(events.Select(e => e.GetType()));
            var cut = random.Next(0, events.Count + 1);

            var replayed = new TState();
            events.ForEach(e => definition.Apply(replayed, e));

            var atCut = new TState();
            events.Take(cut).ToList().ForEach(e => definition.Apply(atCut, e));
            var restored = JsonSerializer.Deserialize<TState>(JsonSerializer.Serialize(atCut, EventLogJson.Options), EventLogJson.Options)!;
            for (var v = cut; v < events.Count; v++)
            {
                var row = codec.Encode("p", v + 1, events[v]);
                definition.Apply(restored, codec.Decode("p", v + 1, row));
            }

            Assert.True(
                JsonSerializer.Serialize(replayed, EventLogJson.Options) == JsonSerializer.Serialize(restored, EventLogJson.Options),
                $"seed {seed}, cut {cut} of {events.Count}: {string.Join(", ", events.Select(e => codec.Registry.NameOf(e)))}\n" +
                $"replayed: {JsonSerializer.Serialize(replayed, EventLogJson.Options)}\nrestored: {JsonSerializer.Serialize(restored, EventLogJson.Options)}");
        }

        // Every event type took part (applied cleanly in some sequence), so none escapes the property.
        Assert.Equal(types.Select(t => t.Name).Order(), applied.Select(t => t.Name).Order());
    }

    /// <summary>A random sequence, keeping only events that apply to the state so far (a throwing Apply is a refused command, never a stored event).</summary>
    private static List<TEvent> Applicable<TState, TEvent>(IAggregateDefinition<TState, TEvent> definition, RandomEvents random, IReadOnlyList<Type> types, int length)
        where TState : class, new()
        where TEvent : class, IAggregateEvent
    {
        var events = new List<TEvent>(length);
        var state = new TState();
        for (var i = 0; i < length; i++)
        {
            var e = random.Next<TEvent>(types);
            var probe = JsonSerializer.Deserialize<TState>(JsonSerializer.Serialize(state, EventLogJson.Options), EventLogJson.Options)!;
            try
            {
                definition.Apply(probe, e);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or NullReferenceException)
            {
                continue;
            }

            definition.Apply(state, e);
            events.Add(e);
        }

        return events;
    }
}
