using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A Workspace document as the watch, Service Bus or the API received it.</summary>
/// <param name="WorkspaceJson">The kaito.sh/v1alpha1 Workspace as JSON; metadata.generation is the spec generation.</param>
[GenerateSerializer, Immutable, Alias("workspace.submission")]
public sealed record WorkspaceSubmission(
    [property: Id(0)] string WorkspaceJson,
    [property: Id(1)] CommandSource Source);
