using k8s.Models;
using Kaito.CrdBridge.Events;

namespace Kaito.CrdBridge.Tests.Events;

/// <summary>Deduplication and aggregation as client-go's record.EventCorrelator does them.</summary>
public sealed class EventCorrelatorTests
{
    private static readonly DateTime T0 = new(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc);
    private int _names;

    [Fact]
    public void A_repeat_of_the_same_event_counts_on_the_first_one_keeping_its_name_and_first_timestamp()
    {
        var correlator = new EventCorrelator();
        var first = correlator.Correlate(Event("MachineRequested", "Requested machine ws1", T0), Rename);
        correlator.Written(first, Stored(first.Event, "17"));

        var second = correlator.Correlate(Event("MachineRequested", "Requested machine ws1", T0.AddSeconds(30)), Rename);

        Assert.False(first.UpdatesExisting);
        Assert.True(second.UpdatesExisting);
        Assert.Equal(first.Event.Metadata.Name, second.Event.Metadata.Name);
        Assert.Equal((2, T0, T0.AddSeconds(30)), (second.Event.Count, second.Event.FirstTimestamp, second.Event.LastTimestamp));
        Assert.Equal("""{"count":2,"lastTimestamp":"2026-11-28T10:00:30Z","message":"Requested machine ws1"}""", second.Patch());
        correlator.Written(second, Stored(second.Event, "18"));
        Assert.Equal(3, correlator.Correlate(Event("MachineRequested", "Requested machine ws1", T0.AddSeconds(60)), Rename).Event.Count);
    }

    [Theory]
    [InlineData("MachineRequested", "Requested machine ws2", "Normal", "ws")]
    [InlineData("NodeRegistered", "Requested machine ws1", "Normal", "ws")]
    [InlineData("MachineRequested", "Requested machine ws1", "Warning", "ws")]
    [InlineData("MachineRequested", "Requested machine ws1", "Normal", "other")]
    public void An_event_that_differs_in_reason_message_type_or_object_is_a_new_event(string reason, string message, string type, string objectName)
    {
        var correlator = new EventCorrelator();
        correlator.Correlate(Event("MachineRequested", "Requested machine ws1", T0), Rename);

        var other = correlator.Correlate(Event(reason, message, T0.AddSeconds(1), type, objectName), Rename);

        Assert.False(other.UpdatesExisting);
        Assert.Equal(1, other.Event.Count);
    }

    [Fact]
    public void The_tenth_distinct_message_of_one_reason_within_ten_minutes_is_combined_and_later_ones_count_on_it()
    {
        var correlator = new EventCorrelator();
        var results = Enumerable.Range(1, 12)
            .Select(i => correlator.Correlate(Event("MachineProblem", $"attempt {i} failed", T0.AddSeconds(i)), Rename))
            .ToList();

        Assert.All(results[..9], r => Assert.False(r.Event.Message.StartsWith(EventCorrelator.CombinedPrefix, StringComparison.Ordinal)));
        Assert.Equal(EventCorrelator.CombinedPrefix + "attempt 10 failed", results[9].Event.Message);
        Assert.False(results[9].UpdatesExisting);
        Assert.True(results[10].UpdatesExisting);
        Assert.Equal((results[9].Event.Metadata.Name, 2), (results[10].Event.Metadata.Name, results[10].Event.Count));
        Assert.Equal(EventCorrelator.CombinedPrefix + "attempt 12 failed", results[11].Event.Message);
    }

    [Fact]
    public void Distinct_messages_spread_over_more_than_ten_minutes_are_never_combined()
    {
        var correlator = new EventCorrelator();
        var results = Enumerable.Range(1, 12)
            .Select(i => correlator.Correlate(Event("MachineProblem", $"attempt {i} failed", T0.AddMinutes(11 * i)), Rename));

        Assert.All(results, r => Assert.False(r.Event.Message.StartsWith(EventCorrelator.CombinedPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_cache_forgets_the_least_recently_used_event_beyond_its_capacity()
    {
        var correlator = new EventCorrelator(maxEntries: 2);
        correlator.Correlate(Event("A", "a", T0), Rename);
        correlator.Correlate(Event("B", "b", T0), Rename);
        correlator.Correlate(Event("C", "c", T0), Rename);

        Assert.False(correlator.Correlate(Event("A", "a", T0.AddSeconds(1)), Rename).UpdatesExisting);
        Assert.True(correlator.Correlate(Event("C", "c", T0.AddSeconds(1)), Rename).UpdatesExisting);
    }

    private string Rename(string objectName, DateTime at) => $"{objectName}.combined{++_names}";

    private Corev1Event Event(string reason, string message, DateTime at, string type = "Normal", string objectName = "ws") => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{objectName}.{++_names:x}", NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { ApiVersion = "kaito.sh/v1alpha1", Kind = "Workspace", NamespaceProperty = "default", Name = objectName, Uid = "uid-" + objectName },
        Reason = reason,
        Message = message,
        Type = type,
        Source = new V1EventSource { Component = "kaito" },
        Count = 1,
        FirstTimestamp = at,
        LastTimestamp = at,
    };

    private static Corev1Event Stored(Corev1Event e, string resourceVersion)
    {
        e.Metadata.ResourceVersion = resourceVersion;
        return e;
    }
}
