namespace Kaito.Grains.EventLog;

/// <summary>One page of aggregates; pass <see cref="ContinuationToken"/> back to get the next, null when there is none.</summary>
[GenerateSerializer, Immutable, Alias("kaito.aggregatePage")]
public sealed record AggregatePage(IReadOnlyList<AggregateSummary> Items, string? ContinuationToken);
