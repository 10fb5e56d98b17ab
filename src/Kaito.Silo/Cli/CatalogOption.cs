using System.CommandLine;
using Kaito.Api.Catalog;

namespace Kaito.Silo.Cli;

/// <summary>The catalog a verb works with: the shipped one, or <c>--catalog DIR</c> (e.g. one with prices set).</summary>
public static class CatalogOption
{
    public static Option<string?> Create() => new("--catalog")
    {
        Description = "A folder with models.yaml and skus.yaml instead of the shipped catalog.",
        HelpName = "DIR",
    };

    public static KaitoCatalog Load(string? directory) =>
        directory is null ? KaitoCatalog.LoadEmbedded() : KaitoCatalog.LoadFromDirectory(directory);
}
