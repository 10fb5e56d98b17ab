using System.Reflection;

namespace Kaito.Api.Catalog;

/// <summary>Both catalogs, loaded from presets/ (shipped inside this assembly, or a folder operators maintain).</summary>
public sealed class KaitoCatalog(PresetCatalog presets, SkuCatalog skus)
{
    public const string PresetsFileName = "models.yaml";
    public const string SkusFileName = "skus.yaml";

    public PresetCatalog Presets { get; } = presets;

    public SkuCatalog Skus { get; } = skus;

    /// <summary>The catalog shipped with this build (presets/*.yaml embedded at compile time).</summary>
    public static KaitoCatalog LoadEmbedded() => Load(ReadEmbedded(PresetsFileName), ReadEmbedded(SkusFileName), "presets/");

    /// <summary>A catalog folder with models.yaml and skus.yaml, e.g. one where operators set prices.</summary>
    public static KaitoCatalog LoadFromDirectory(string directory)
    {
        var presetsPath = Path.Combine(directory, PresetsFileName);
        var skusPath = Path.Combine(directory, SkusFileName);
        foreach (var path in new[] { presetsPath, skusPath })
        {
            if (!File.Exists(path))
            {
                throw new CatalogLoadException([new CatalogError(path, "(file)", "file not found")]);
            }
        }

        return Load(File.ReadAllText(presetsPath), File.ReadAllText(skusPath), directory.TrimEnd('/') + "/");
    }

    private static KaitoCatalog Load(string presetsYaml, string skusYaml, string prefix)
    {
        var errors = new List<CatalogError>();
        var presets = CatalogLoader.LoadPresets(prefix + PresetsFileName, presetsYaml, errors);
        var skus = CatalogLoader.LoadSkus(prefix + SkusFileName, skusYaml, errors);
        return errors.Count > 0 ? throw new CatalogLoadException(errors) : new KaitoCatalog(presets, skus);
    }

    private static string ReadEmbedded(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("presets/" + fileName)
            ?? throw new InvalidOperationException($"presets/{fileName} is not embedded in {typeof(KaitoCatalog).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
