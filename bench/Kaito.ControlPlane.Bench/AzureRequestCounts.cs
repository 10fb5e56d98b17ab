using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// Counts the Azure SDK requests of this process (the silo's event log and reminders) by method and table, from the
/// <c>Azure-Core</c> event source's <c>Request</c> event. Off unless <c>KAITO_BENCH_AZURE_COUNTS=1</c>: listening
/// costs the silo some CPU.
/// </summary>
internal sealed class AzureRequestCounts : EventListener
{
    private const int RequestEventId = 1;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private volatile bool _enabled;

    public static bool Wanted => Environment.GetEnvironmentVariable("KAITO_BENCH_AZURE_COUNTS") == "1";

    public void Enable() => _enabled = true;

    public Dictionary<string, double> Read() => _counts.ToDictionary(kv => kv.Key, kv => (double)kv.Value, StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Azure-Core")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_enabled || eventData.EventId != RequestEventId || eventData.Payload is not { Count: >= 3 } payload)
        {
            return;
        }

        _counts.AddOrUpdate($"{payload[1]} {Table(payload[2] as string ?? "")}", 1, (_, c) => c + 1);
    }

    /// <summary>The table (or <c>$batch</c>, <c>Tables</c>) from a Table service URI: the path segment after the account.</summary>
    private static string Table(string uri)
    {
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var u) ? u.AbsolutePath : uri;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var last = segments.Length > 0 ? segments[^1] : "";
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? last[..paren] + (last.Length > paren + 2 ? "(key)" : "()") : last;
    }
}
