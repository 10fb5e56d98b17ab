namespace Kaito.Grains.Workspaces;

[GenerateSerializer, Immutable, Alias("workspace.specApplyResult")]
public sealed record SpecApplyResult(
    [property: Id(0)] SpecApplyOutcome Outcome,
    [property: Id(1)] int Revision,
    [property: Id(2)] IReadOnlyList<string> Errors,
    [property: Id(3)] IReadOnlyList<string> Warnings);
