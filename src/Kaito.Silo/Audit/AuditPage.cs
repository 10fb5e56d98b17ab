namespace Kaito.Silo.Audit;

/// <summary>One page of an audit listing; pass <see cref="Continue"/> back as <c>?continue=</c> for the next (null: the last page).</summary>
public sealed record AuditPage<T>(IReadOnlyList<T> Items, string? Continue);
