namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>One call to the recording sink: the method, the Workspace key or machine name, the cause, the JSON if any.</summary>
public sealed record SinkCall(string Method, string Key, string Cause, string? Json);
