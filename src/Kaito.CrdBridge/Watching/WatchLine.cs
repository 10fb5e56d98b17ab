using System.Text.Json.Nodes;

namespace Kaito.CrdBridge.Watching;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, with its object.</summary>
internal sealed record WatchLine(string Type, JsonObject Object);
