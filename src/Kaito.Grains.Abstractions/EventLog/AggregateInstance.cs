namespace Kaito.Grains.EventLog;

/// <summary>One aggregate among several of the same name (a Workspace re-created with a new uid), with when it began.</summary>
[GenerateSerializer, Immutable, Alias("kaito.aggregateInstance")]
public sealed record AggregateInstance(AggregateSummary Summary, DateTimeOffset? FirstEventAt);
