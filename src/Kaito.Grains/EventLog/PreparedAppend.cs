using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>
/// An append checked and encoded before anything is sent: every event fits a row, the state after it is computed, the
/// head and rows are built. What can fail for good fails here, at the command, so storage only ever sees appends that
/// can be written. <see cref="AppendId"/> rides on the head in the same transaction, so that after an ambiguous
/// outcome the writer can read the head back and know whether this append committed.
/// </summary>
public sealed class PreparedAppend<TState, TEvent>
    where TEvent : class
{
    internal PreparedAppend(string aggregateId, string partitionKey, IReadOnlyList<TEvent> events, int expectedVersion,
        TState stateAfter, string appendId, IReadOnlyList<IReadOnlyList<TableEntity>> chunks, TableEntity finalHead)
    {
        AggregateId = aggregateId;
        PartitionKey = partitionKey;
        Events = events;
        ExpectedVersion = expectedVersion;
        StateAfter = stateAfter;
        AppendId = appendId;
        Chunks = chunks;
        FinalHead = finalHead;
    }

    public string AggregateId { get; }

    public string PartitionKey { get; }

    public IReadOnlyList<TEvent> Events { get; }

    public int ExpectedVersion { get; }

    public int FinalVersion => ExpectedVersion + Events.Count;

    /// <summary>The state with every one of <see cref="Events"/> applied to the state at <see cref="ExpectedVersion"/>.</summary>
    public TState StateAfter { get; }

    public string AppendId { get; }

    /// <summary>The event rows, one entity-group transaction each (with the head): at most 99 rows and ~3 MiB.</summary>
    internal IReadOnlyList<IReadOnlyList<TableEntity>> Chunks { get; }

    internal TableEntity FinalHead { get; }

    /// <summary>True when this prepared append is for exactly these events at this version (so it can be sent as is).</summary>
    public bool IsFor(IReadOnlyList<TEvent> events, int expectedVersion) =>
        expectedVersion == ExpectedVersion && events.Count == Events.Count && events.Select((e, i) => ReferenceEquals(e, Events[i])).All(same => same);
}
