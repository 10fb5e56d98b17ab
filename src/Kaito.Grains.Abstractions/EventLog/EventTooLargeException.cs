namespace Kaito.Grains.EventLog;

/// <summary>
/// A command decided an event too big for one table row (Azure Tables hold 1 MiB an entity). Nothing was stored and
/// the aggregate keeps serving; the caller has to send something smaller (e.g. a shorter pod template).
/// </summary>
[GenerateSerializer, Alias("kaito.eventTooLarge")]
public sealed class EventTooLargeException : Exception
{
    public EventTooLargeException(string aggregateKind, string aggregateId, string eventType, int characters, int limit)
        : base($"Event {eventType} of {aggregateKind} '{aggregateId}' is {Describe(characters)} of JSON; the limit is {Describe(limit)} " +
            "(an Azure Table entity holds 1 MiB). Nothing was stored.")
    {
        AggregateKind = aggregateKind;
        AggregateId = aggregateId;
        EventType = eventType;
        Characters = characters;
        Limit = limit;
    }

    [Id(0)]
    public string AggregateKind { get; }

    [Id(1)]
    public string AggregateId { get; }

    [Id(2)]
    public string EventType { get; }

    /// <summary>The event's JSON length in UTF-16 characters (two bytes each as stored).</summary>
    [Id(3)]
    public int Characters { get; }

    [Id(4)]
    public int Limit { get; }

    private static string Describe(int characters) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{characters:N0} characters ({characters * 2 / 1048576.0:F1} MiB as stored)");
}
