using k8s.Models;

namespace Kaito.Api.Catalog;

/// <summary>Whether a preset can be fine-tuned, and the GPU memory tuning needs when known.</summary>
public sealed record TuningSupport(bool Supported, ResourceQuantity? TotalGpuMemory)
{
    public static readonly TuningSupport None = new(false, null);
}
