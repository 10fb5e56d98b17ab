using k8s.Models;

namespace Kaito.Api.Catalog;

/// <summary>One model of the preset catalog (presets/models.yaml), checked at load.</summary>
/// <param name="Parameters">The model's parameter count, when the catalog gives it.</param>
/// <param name="Weights">Where its ONNX weights come from, when the catalog says.</param>
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
    TuningSupport Tuning,
    long? Parameters = null,
    ModelWeights? Weights = null)
{
    /// <summary>The size of the weights in fp16 (2 bytes a parameter); the GPU memory estimate is never below it.</summary>
    public decimal? Fp16WeightBytes => Parameters * 2m;

    public decimal TotalGpuMemoryBytes => TotalGpuMemory.ToDecimal();

    public decimal PerGpuMemoryBytes => PerGpuMemory?.ToDecimal() ?? 0;

    /// <summary>The public model image, <c>registry/kaito-name:tag</c>.</summary>
    public string ImageReference(string registry) => $"{registry.TrimEnd('/')}/{Image}:{Tag}";
}
