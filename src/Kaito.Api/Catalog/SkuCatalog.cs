namespace Kaito.Api.Catalog;

/// <summary>The GPU node types Kaito.NET knows the capacity (and, when operators set it, the price) of.</summary>
public sealed class SkuCatalog
{
    private readonly Dictionary<string, GpuSku> _byName;

    public SkuCatalog(IEnumerable<GpuSku> skus)
    {
        All = skus.OrderBy(s => s.Cloud, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        _byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<GpuSku> All { get; }

    public bool TryGet(string? name, out GpuSku sku)
    {
        sku = null!;
        return name is not null && _byName.TryGetValue(name, out sku!);
    }

    /// <summary>
    /// Whether nodes of this instance type must show <c>nvidia.com/gpu</c> capacity: the catalog's GPU count when it
    /// knows the SKU, else upstream's rule (Azure <c>Standard_N*</c> SKUs are GPU SKUs).
    /// </summary>
    public bool HasGpus(string instanceType) =>
        TryGet(instanceType, out var sku) ? sku.GpuCount > 0 : instanceType.StartsWith("Standard_N", StringComparison.Ordinal);
}
