namespace Kaito.Api.Catalog;

/// <summary>The models Kaito.NET can deploy by name.</summary>
public sealed class PresetCatalog
{
    public const string DefaultRegistry = "mcr.microsoft.com/aks/kaito";

    private readonly Dictionary<string, ModelPreset> _byName;

    public PresetCatalog(string registry, IEnumerable<ModelPreset> presets)
    {
        Registry = registry;
        All = presets.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        _byName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public string Registry { get; }

    public IReadOnlyList<ModelPreset> All { get; }

    public bool TryGet(string? name, out ModelPreset preset)
    {
        preset = null!;
        return name is not null && _byName.TryGetValue(name, out preset!);
    }
}
