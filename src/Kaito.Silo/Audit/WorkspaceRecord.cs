namespace Kaito.Silo.Audit;

/// <summary>A Workspace as the audit API shows it: its head (current state and one-line summary), never its spec.</summary>
public sealed record WorkspaceRecord(
    string Namespace,
    string Name,
    string? Uid,
    string State,
    int Version,
    string Summary,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);
