namespace Kaito.Grains.EventLog;

/// <summary>Column names of an aggregate's head row.</summary>
internal static class HeadColumns
{
    public const string Id = "Id";
    public const string Version = "Version";
    public const string AppendingTo = "AppendingTo";

    /// <summary>The id of the append that last moved the head, written in the same transaction as its rows.</summary>
    public const string AppendId = "AppendId";

    /// <summary>Which transaction of that append (0-based) last moved the head: appends over 99 rows take several.</summary>
    public const string AppendChunk = "AppendChunk";

    /// <summary>True once the aggregate's row in the heads index is known written.</summary>
    public const string Indexed = "Indexed";
    public const string Phase = "Phase";
    public const string Summary = "Summary";
    public const string UpdatedAt = "UpdatedAt";

    /// <summary>The state JSON, continued in Snapshot1, Snapshot2, ... (<see cref="SnapshotParts"/> of them).</summary>
    public const string Snapshot = "Snapshot";
    public const string SnapshotParts = "SnapshotParts";
    public const string SnapshotVersion = "SnapshotVersion";
    public const string SnapshotSchema = "SnapshotSchema";
}
