using Kaito.Grains.Workspaces;

namespace Kaito.Silo.ServiceBus;

/// <summary>The body of a status message: the workspace's phase and conditions after one change.</summary>
public sealed record WorkspaceStatusMessage(
    string Namespace,
    string Name,
    string? Uid,
    string Phase,
    long Generation,
    int Revision,
    int Version,
    IReadOnlyList<WorkspaceConditionView> Conditions,
    string? FailureReason,
    string? FailureMessage,
    string? RejectionMessage,
    DateTimeOffset? UpdatedAt);
