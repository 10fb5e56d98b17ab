using System.Text.Json;
using Azure.Data.Tables;

namespace Kaito.Grains.EventLog;

/// <summary>Preparing an append: everything that can fail for good fails here, before anything is sent.</summary>
public sealed partial class EventLogTable<TState, TEvent>
{
    /// <summary>
    /// Checks and encodes an append without sending anything: an event too big for a row throws
    /// <see cref="EventTooLargeException"/>, an event that does not apply (or a state that cannot be summed up) throws
    /// <see cref="InvalidOperationException"/>; either way nothing is stored and the aggregate is untouched.
    /// <paramref name="stateAfter"/>, when the caller has it, is <paramref name="confirmedState"/> with every event applied.
    /// </summary>
    public PreparedAppend<TState, TEvent> Prepare(string aggregateId, IReadOnlyList<TEvent> events, int expectedVersion,
        TState confirmedState, TState? stateAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        var pk = PartitionKeyEncoding.Encode(aggregateId);
        var rows = events.Select((e, i) => _codec.Encode(pk, expectedVersion + i + 1, e)).ToList();
        var state = stateAfter ?? StateAfter(aggregateId, events, expectedVersion, confirmedState);
        var appendId = Guid.NewGuid().ToString("N");
        TableEntity finalHead;
        try
        {
            finalHead = BuildFinalHead(aggregateId, pk, events, expectedVersion, state, appendId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Summing up {Kind} '{aggregateId}' after version {expectedVersion + events.Count} failed: {ex.Message}. Nothing was stored.", ex);
        }

        return new PreparedAppend<TState, TEvent>(aggregateId, pk, events, expectedVersion, state, appendId,
            Chunk(rows, SplitColumn.EstimateBytes(finalHead)), finalHead);
    }

    private TState StateAfter(string aggregateId, IReadOnlyList<TEvent> events, int expectedVersion, TState confirmedState)
    {
        var state = EventLogJson.Copy(confirmedState);
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                _definition.Apply(state, events[i]);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A decision that does not apply fails its command; it never reaches storage or the provider's retries.
                throw new InvalidOperationException(
                    $"Event {_codec.Registry.NameOf(events[i])} does not apply to {Kind} '{aggregateId}' at version {expectedVersion + i + 1}: {ex.Message}. Nothing was stored.", ex);
            }
        }

        return state;
    }

    private TableEntity BuildFinalHead(string aggregateId, string pk, IReadOnlyList<TEvent> events, int expectedVersion, TState state, string appendId)
    {
        var finalVersion = expectedVersion + events.Count;
        var head = new TableEntity(pk, EventRowCodec<TEvent>.HeadRowKey)
        {
            [HeadColumns.Version] = finalVersion,
            [HeadColumns.AppendingTo] = finalVersion,
            [HeadColumns.AppendId] = appendId,
            [HeadColumns.Indexed] = true,
            [HeadColumns.Phase] = _definition.PhaseOf(state),
            [HeadColumns.Summary] = Truncate(_definition.Summarize(state), 1024),
            [HeadColumns.UpdatedAt] = events[^1].Context.At,
        };
        if (expectedVersion / _snapshotEvery != finalVersion / _snapshotEvery)
        {
            var json = JsonSerializer.Serialize(state, EventLogJson.Options);
            if (json.Length <= SplitColumn.MaxLength)
            {
                head[HeadColumns.SnapshotParts] = SplitColumn.Write(head, HeadColumns.Snapshot, json);
                head[HeadColumns.SnapshotVersion] = finalVersion;
                head[HeadColumns.SnapshotSchema] = _definition.SnapshotSchema;
            }
            else
            {
                LogSnapshotIgnored(Kind, aggregateId, finalVersion, $"the state is {json.Length} characters, over a row's limit");
            }
        }

        return head;
    }

    private static List<IReadOnlyList<TableEntity>> Chunk(List<TableEntity> rows, long headBytes)
    {
        var chunks = new List<IReadOnlyList<TableEntity>>();
        var current = new List<TableEntity>();
        var bytes = headBytes;
        foreach (var row in rows)
        {
            var size = SplitColumn.EstimateBytes(row);
            if (current.Count == MaxEventsPerTransaction || (current.Count > 0 && bytes + size > MaxBytesPerTransaction))
            {
                chunks.Add(current);
                current = [];
                bytes = headBytes;
            }

            current.Add(row);
            bytes += size;
        }

        chunks.Add(current);
        return chunks;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
