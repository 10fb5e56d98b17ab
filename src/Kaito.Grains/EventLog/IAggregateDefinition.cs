namespace Kaito.Grains.EventLog;

/// <summary>What the event log needs to know of one kind of aggregate: how events change its state, how to sum it up.</summary>
public interface IAggregateDefinition<in TState, in TEvent>
{
    /// <summary>Used in table names and error messages, e.g. <c>workspace</c>.</summary>
    string Kind { get; }

    /// <summary>Bump when the state's JSON shape changes incompatibly; older snapshots are then ignored and events replayed.</summary>
    int SnapshotSchema { get; }

    void Apply(TState state, TEvent e);

    string PhaseOf(TState state);

    string Summarize(TState state);
}
