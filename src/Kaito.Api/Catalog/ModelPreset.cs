using k8s.Models;

namespace Kaito.Api.Catalog;

/// <summary>One model of the preset catalog (presets/models.yaml), checked at load.</summary>
public sealed record ModelPreset(
    string Name,
    string Family,
    int GpuCount,
    ResourceQuantity TotalGpuMemory,
    ResourceQuantity? PerGpuMemory,
    ResourceQuantity DiskStorage,
    int ContextLength,
    bool Distributed,
    string AccessMode,
    string Image,
    string Tag,
    TimeSpan ReadinessTimeout,
    IReadOnlyDictionary<string, string> RuntimeArgs,
    TuningSupport Tuning)
{
    public decimal TotalGpuMemoryBytes => TotalGpuMemory.ToDecimal();

    public decimal PerGpuMemoryBytes => PerGpuMemory?.ToDecimal() ?? 0;

    /// <summary>The public model image, <c>registry/kaito-name:tag</c>.</summary>
    public string ImageReference(string registry) => $"{registry.TrimEnd('/')}/{Image}:{Tag}";
}
