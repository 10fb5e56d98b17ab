using k8s.Models;

namespace Kaito.Api.Catalog;

/// <summary>One GPU node type of the SKU catalog (presets/skus.yaml).</summary>
public sealed record GpuSku(
    string Name,
    string Cloud,
    int GpuCount,
    ResourceQuantity GpuMemory,
    string GpuModel,
    decimal? PricePerHour)
{
    public decimal GpuMemoryBytes => GpuMemory.ToDecimal();

    public decimal TotalGpuMemoryBytes => GpuMemoryBytes * GpuCount;
}
