namespace Kaito.Grains.EventLog;

/// <summary>An event of an event-sourced aggregate, as the event log stores it.</summary>
public interface IAggregateEvent
{
    EventContext Context { get; }

    /// <summary>A one-line, human-readable summary for audit listings.</summary>
    string Describe();
}
