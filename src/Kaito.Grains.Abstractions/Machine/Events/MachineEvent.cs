using Kaito.Grains.EventLog;

namespace Kaito.Grains.Machines;

/// <summary>
/// Base of every Machine event. Stored as JSON under its <c>[Alias]</c> name; never rename an alias or reorder
/// the parameters of a derived record.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record MachineEvent([property: Id(0)] EventContext Context) : IAggregateEvent
{
    public abstract string Describe();
}
