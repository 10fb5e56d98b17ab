using Kaito.Grains.EventLog;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// Base of every Workspace event. Stored as JSON under its <c>[Alias]</c> name; never rename an alias or reorder
/// the parameters of a derived record.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record WorkspaceEvent([property: Id(0)] EventContext Context) : IAggregateEvent
{
    public abstract string Describe();
}
