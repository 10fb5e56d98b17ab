namespace Kaito.Grains.EventLog;

/// <summary>One row of an aggregate's history, read straight from the event table.</summary>
[GenerateSerializer, Immutable, Alias("kaito.auditEntry")]
public sealed record AuditEntry(
    int Version,
    DateTimeOffset At,
    string EventType,
    long Generation,
    string Cause,
    string Actor,
    string Summary);
