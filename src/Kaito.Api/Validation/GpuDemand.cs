using Kaito.Api.Catalog;

namespace Kaito.Api.Validation;

/// <summary>What a workload needs of the GPUs: how many, memory on each, memory in all.</summary>
public sealed record GpuDemand(string Preset, int GpuCount, decimal PerGpuBytes, decimal TotalBytes)
{
    public static GpuDemand ForInference(ModelPreset preset) =>
        new(preset.Name, preset.GpuCount, preset.PerGpuMemoryBytes, preset.TotalGpuMemoryBytes);

    /// <summary>Tuning runs on one node; its memory need is the preset's tuning figure when known.</summary>
    public static GpuDemand ForTuning(ModelPreset preset) =>
        new(preset.Name, 1, preset.PerGpuMemoryBytes, preset.Tuning.TotalGpuMemory?.ToDecimal() ?? preset.TotalGpuMemoryBytes);

    public override string ToString() =>
        $"preset {Preset} ({GpuCount} GPU{(GpuCount == 1 ? "" : "s")}, {QuantityText.Binary(TotalBytes)} GPU memory in all"
        + (PerGpuBytes > 0 ? $", {QuantityText.Binary(PerGpuBytes)} per GPU)" : ")");
}
