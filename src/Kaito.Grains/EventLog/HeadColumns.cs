namespace Kaito.Grains.EventLog;

/// <summary>Column names of an aggregate's head row.</summary>
internal static class HeadColumns
{
    public const string Id = "Id";
    public const string Version = "Version";
    public const string AppendingTo = "AppendingTo";
    public const string Phase = "Phase";
    public const string Summary = "Summary";
    public const string UpdatedAt = "UpdatedAt";
    public const string Snapshot = "Snapshot";
    public const string SnapshotVersion = "SnapshotVersion";
    public const string SnapshotSchema = "SnapshotSchema";
}
