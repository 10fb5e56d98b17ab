namespace Kaito.Silo.Audit;

/// <summary>One event as the audit API shows it: the audit columns only, never the event's payload.</summary>
/// <param name="Uid">The Workspace uid the event belongs to (null for a machine, or a Workspace with no object behind it).</param>
public sealed record AuditEvent(
    string? Uid,
    int Version,
    string Type,
    DateTimeOffset Time,
    string Actor,
    string Cause,
    long Generation,
    string Summary);
