namespace Kaito.Api.Catalog;

/// <summary>A catalog entry that failed to load: which file, which entry, and why.</summary>
public sealed record CatalogError(string File, string Entry, string Reason)
{
    public override string ToString() => $"{File}: {Entry}: {Reason}";
}
