namespace Kaito.Grains.EventLog;

/// <summary>
/// An event row (or the head row) of an aggregate could not be read: unknown type, bad JSON, a gap in versions.
/// Activation fails with it promptly; the grain never waits on an unreadable log.
/// </summary>
[GenerateSerializer, Alias("kaito.eventLogCorrupted")]
public sealed class EventLogCorruptedException : Exception
{
    public EventLogCorruptedException(string aggregateKind, string aggregateId, int version, string reason, Exception? inner = null)
        : base($"The event log of {aggregateKind} '{aggregateId}' is unreadable at version {version}: {reason}", inner)
    {
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        Version = version;
        Reason = reason;
    }

    [Id(0)]
    public string AggregateKind { get; }

    [Id(1)]
    public string AggregateId { get; }

    [Id(2)]
    public int Version { get; }

    [Id(3)]
    public string Reason { get; }
}
