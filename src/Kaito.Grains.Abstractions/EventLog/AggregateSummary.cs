namespace Kaito.Grains.EventLog;

/// <summary>An aggregate's current state in one line, as kept on its head row for paged listings.</summary>
[GenerateSerializer, Immutable, Alias("kaito.aggregateSummary")]
public sealed record AggregateSummary(string Id, int Version, string Phase, string Summary, DateTimeOffset? UpdatedAt);
