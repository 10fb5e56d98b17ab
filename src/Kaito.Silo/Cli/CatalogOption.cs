using Kaito.Api.Catalog;

namespace Kaito.Silo.Cli;

/// <summary>The catalog a verb works with: the shipped one, or <c>--catalog DIR</c> (e.g. one with prices set).</summary>
public static class CatalogOption
{
    public static KaitoCatalog Load(string? directory) =>
        directory is null ? KaitoCatalog.LoadEmbedded() : KaitoCatalog.LoadFromDirectory(directory);
}
