using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>One page of a list: the objects, the collection's resourceVersion and the continue token (null on the last page).</summary>
internal sealed record ResourceListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
