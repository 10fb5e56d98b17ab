using System.Collections.Immutable;
using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>A spec (usually an update) broke a validation rule and was not taken; the accepted revision stays.</summary>
[GenerateSerializer, Immutable, Alias("workspace.specRejected")]
/// <param name="SpecHash">The canonical spec hash of the rejected document (null in events stored before it was kept).</param>
public sealed record WorkspaceSpecRejected(
    EventContext Context,
    [property: Id(0)] ImmutableArray<string> Errors,
    [property: Id(1)] string? SpecHash = null) : WorkspaceEvent(Context)
{
    public override string Describe() => $"generation {Context.Generation} rejected: {string.Join("; ", Errors)}";
}
