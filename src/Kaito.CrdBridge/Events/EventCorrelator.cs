using k8s.Models;

namespace Kaito.CrdBridge.Events;

/// <summary>
/// client-go's <c>record.EventCorrelator</c> without its spam filter (a Workspace writes one Event per recorded decision,
/// never per reconcile): an Event identical to one written before (same source, object, type, reason and message) becomes
/// a patch of that Event's count and lastTimestamp; the eleventh distinct message of the same source, object, type and
/// reason within ten minutes is combined into one Event whose message starts "(combined from similar events): ". Both
/// caches are bounded (least recently used go first). Times are the events' own, so the correlation is deterministic.
/// </summary>
public sealed class EventCorrelator(int maxEntries = EventCorrelator.DefaultMaxEntries)
{
    public const int DefaultMaxEntries = 4096;
    public const int AggregateMaxEvents = 10;
    public const string CombinedPrefix = "(combined from similar events): ";
    public static readonly TimeSpan AggregateInterval = TimeSpan.FromMinutes(10);

    private readonly LruCache<string, AggregateRecord> _aggregates = new(maxEntries);
    private readonly LruCache<string, EventLog> _logs = new(maxEntries);
    private readonly Lock _lock = new();

    /// <summary>
    /// What to write for <paramref name="newEvent"/> (count 1, first and last timestamp its time, a fresh name): the
    /// event itself, a combined one, or an earlier Event of the same key with its count raised (<see cref="CorrelatedEvent.UpdatesExisting"/>).
    /// </summary>
    /// <param name="rename">A fresh Event name for an object at a time, for a combined event.</param>
    public CorrelatedEvent Correlate(Corev1Event newEvent, Func<string, DateTime, string> rename)
    {
        lock (_lock)
        {
            var (aggregated, key) = Aggregate(newEvent, rename);
            if (!_logs.TryGet(key, out var last))
            {
                _logs.Set(key, new EventLog(1, aggregated.FirstTimestamp, aggregated.Metadata.Name, null));
                return new CorrelatedEvent(aggregated, key, false);
            }

            var observed = Copy(aggregated);
            observed.Metadata.Name = last.Name;
            observed.Metadata.ResourceVersion = last.ResourceVersion;
            observed.FirstTimestamp = last.FirstTimestamp;
            observed.Count = last.Count + 1;
            _logs.Set(key, new EventLog(observed.Count.Value, observed.FirstTimestamp, last.Name, last.ResourceVersion));
            return new CorrelatedEvent(observed, key, true);
        }
    }

    /// <summary>The API server stored <paramref name="written"/>: later identical events count on it.</summary>
    public void Written(CorrelatedEvent correlated, Corev1Event written)
    {
        lock (_lock)
        {
            _logs.Set(correlated.Key, new EventLog(written.Count ?? 1, written.FirstTimestamp, written.Metadata.Name, written.Metadata.ResourceVersion));
        }
    }

    /// <summary>The key of client-go's <c>getEventKey</c>: everything that makes two Events the same Event.</summary>
    public static string EventKey(Corev1Event e) => Join(e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty,
        e.InvolvedObject.Name, e.InvolvedObject.FieldPath, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.Message);

    private (Corev1Event Event, string Key) Aggregate(Corev1Event newEvent, Func<string, DateTime, string> rename)
    {
        var now = newEvent.LastTimestamp ?? DateTime.UtcNow;
        var aggregateKey = Join(newEvent.Source?.Component, newEvent.Source?.Host, newEvent.InvolvedObject.Kind, newEvent.InvolvedObject.NamespaceProperty,
            newEvent.InvolvedObject.Name, newEvent.InvolvedObject.FieldPath, newEvent.InvolvedObject.Uid, newEvent.InvolvedObject.ApiVersion,
            newEvent.Type, newEvent.Reason, newEvent.ReportingComponent, newEvent.ReportingInstance);
        if (!_aggregates.TryGet(aggregateKey, out var record) || now - record.LastTimestamp > AggregateInterval)
        {
            record = new AggregateRecord(new HashSet<string>(StringComparer.Ordinal), now);
        }

        record.LocalKeys.Add(newEvent.Message ?? "");
        _aggregates.Set(aggregateKey, record with { LastTimestamp = now });
        if (record.LocalKeys.Count < AggregateMaxEvents)
        {
            return (newEvent, EventKey(newEvent));
        }

        // Do not grow the set of messages any further.
        record.LocalKeys.Remove(record.LocalKeys.First());
        var combined = Copy(newEvent);
        combined.Metadata.Name = rename(newEvent.InvolvedObject.Name, now);
        combined.Message = CombinedPrefix + newEvent.Message;
        combined.Count = 1;
        combined.FirstTimestamp = now;
        combined.LastTimestamp = now;
        return (combined, aggregateKey);
    }

    private static Corev1Event Copy(Corev1Event e) => new()
    {
        ApiVersion = e.ApiVersion,
        Kind = e.Kind,
        Metadata = new V1ObjectMeta { Name = e.Metadata.Name, NamespaceProperty = e.Metadata.NamespaceProperty, ResourceVersion = e.Metadata.ResourceVersion },
        InvolvedObject = e.InvolvedObject,
        Reason = e.Reason,
        Message = e.Message,
        Type = e.Type,
        Source = e.Source,
        Count = e.Count,
        FirstTimestamp = e.FirstTimestamp,
        LastTimestamp = e.LastTimestamp,
        ReportingComponent = e.ReportingComponent,
        ReportingInstance = e.ReportingInstance,
    };

    private static string Join(params string?[] parts) => string.Join('\u0000', parts.Select(p => p ?? ""));

    private sealed record AggregateRecord(HashSet<string> LocalKeys, DateTime LastTimestamp);

    private sealed record EventLog(int Count, DateTime? FirstTimestamp, string Name, string? ResourceVersion);
}
