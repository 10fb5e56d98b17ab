using Azure;

namespace Kaito.Grains.EventLog;

/// <summary>An aggregate as read from its event table.</summary>
/// <param name="HeadETag">The head row's ETag, the guard of the next append; default when the aggregate has no row yet.</param>
/// <param name="SnapshotVersion">The version of the snapshot the read started from, 0 when it replayed every event.</param>
/// <param name="EventRowsRead">Event rows replayed on top of the snapshot.</param>
/// <param name="AppendId">The id of the append that last moved the head (<see cref="PreparedAppend{TState,TEvent}.AppendId"/>).</param>
public sealed record EventLogReadResult<TState>(int Version, TState State, ETag HeadETag, int SnapshotVersion, int EventRowsRead, string? AppendId = null);
