using System.Globalization;
using Kaito.Api.Catalog;

namespace Kaito.Api.Validation;

/// <summary>
/// Picks the SKU for a Workspace that omits <c>resource.instanceType</c>: among the SKUs that fit (GPU count, memory
/// per GPU, memory in all, over <c>count</c> nodes), the cheapest when operators set prices, else the one with the
/// fewest GPUs and then the least GPU memory; ties break by name, so the choice is deterministic.
/// </summary>
public static class InstanceTypeSelector
{
    public const string DefaultCloud = "azure";

    public static InstanceTypeDecision? Choose(GpuDemand demand, int count, SkuCatalog skus, string cloud = DefaultCloud)
    {
        var fitting = skus.All
            .Where(s => s.Cloud == cloud && Fits(s, demand, count))
            .ToList();
        if (fitting.Count == 0)
        {
            return null;
        }

        var priced = fitting.Where(s => s.PricePerHour is not null).ToList();
        if (priced.Count > 0)
        {
            var cheapest = priced.OrderBy(s => s.PricePerHour).ThenBy(s => s.GpuCount).ThenBy(s => s.TotalGpuMemoryBytes)
                .ThenBy(s => s.Name, StringComparer.Ordinal).First();
            return new InstanceTypeDecision(cheapest.Name,
                $"{cheapest.Name} is the cheapest of {priced.Count} priced {cloud} SKUs that fit {demand} "
                + $"at {cheapest.PricePerHour!.Value.ToString(CultureInfo.InvariantCulture)}/hour per node ({Describe(cheapest)})");
        }

        var smallest = fitting.OrderBy(s => s.GpuCount).ThenBy(s => s.TotalGpuMemoryBytes).ThenBy(s => s.Name, StringComparer.Ordinal).First();
        return new InstanceTypeDecision(smallest.Name,
            $"{smallest.Name} is the smallest of {fitting.Count} {cloud} SKUs that fit {demand}: fewest GPUs, then least GPU memory "
            + $"({Describe(smallest)}); no prices are configured");
    }

    public static bool Fits(GpuSku sku, GpuDemand demand, int count) =>
        count * sku.GpuCount >= demand.GpuCount
        && sku.GpuMemoryBytes >= demand.PerGpuBytes
        && count * sku.TotalGpuMemoryBytes >= demand.TotalBytes;

    private static string Describe(GpuSku sku) =>
        $"{sku.GpuCount} x {sku.GpuModel} {QuantityText.Binary(sku.GpuMemoryBytes)}";
}
