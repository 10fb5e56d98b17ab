namespace Kaito.Grains.Workspaces;

/// <summary>One status condition as upstream names it (ResourceReady, InferenceReady, ...); Status is True/False/Unknown.</summary>
[GenerateSerializer, Immutable, Alias("workspace.conditionView")]
public sealed record WorkspaceConditionView(
    [property: Id(0)] string Type,
    [property: Id(1)] string Status,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message);
