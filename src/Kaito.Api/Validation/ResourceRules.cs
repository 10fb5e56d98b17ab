using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

internal static class ResourceRules
{
    private static readonly string[] SelectorOperators = ["In", "NotIn", "Exists", "DoesNotExist"];

    public static void CheckShape(ResourceSpec? resource, ValidationCollector c)
    {
        if (resource?.Count is < 1)
        {
            c.Error("resource.count", $"Invalid value: {resource.Count}: must be greater than or equal to 1");
        }

        if (resource?.LabelSelector is not { } selector)
        {
            c.Error("resource.labelSelector", "Required value");
            return;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (LabelSyntax.CheckKey(key) is { } keyProblem)
            {
                c.Error($"resource.labelSelector.matchLabels.{key}", $"Invalid label key: {keyProblem}");
            }

            if (LabelSyntax.CheckValue(value ?? "") is { } valueProblem)
            {
                c.Error($"resource.labelSelector.matchLabels.{key}", $"Invalid value: \"{value}\": {valueProblem}");
            }
        }

        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var e = expressions[i];
            var path = $"resource.labelSelector.matchExpressions[{i}]";
            if (!SelectorOperators.Contains(e.OperatorProperty))
            {
                c.Error($"{path}.operator", $"Unsupported value: \"{e.OperatorProperty}\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"");
            }
            else if (e.OperatorProperty is "In" or "NotIn" && e.Values is not { Count: > 0 })
            {
                c.Error($"{path}.values", "Required value: must be specified when `operator` is 'In' or 'NotIn'");
            }
            else if (e.OperatorProperty is "Exists" or "DoesNotExist" && e.Values is { Count: > 0 })
            {
                c.Error($"{path}.values", "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            }
        }

        if (selector.MatchLabels is not { Count: > 0 } && expressions.Count == 0)
        {
            c.Warn("resource.labelSelector selects every node; provisioned nodes carry no workspace-specific label");
        }
    }

    public static void CheckForInference(ResourceSpec? resource, InferenceSpec inference, KaitoCatalog catalog, ValidationCollector c)
    {
        ModelPreset? preset = null;
        if (inference.Preset is not null && !catalog.Presets.TryGet(inference.Preset.Name, out preset))
        {
            return; // the preset error is already reported; capacity cannot be checked without it
        }

        var count = resource?.EffectiveCount ?? 1;
        var instanceType = resource?.InstanceType;
        if (string.IsNullOrEmpty(instanceType))
        {
            if (preset is null)
            {
                c.Error("resource.instanceType", "Required value: an inference template gives no preset to size the nodes from");
                return;
            }

            Choose(GpuDemand.ForInference(preset), count, catalog.Skus, c);
            return;
        }

        if (!CheckKnown(instanceType, catalog.Skus, c, out var sku) || sku is null || preset is null)
        {
            return;
        }

        var demand = GpuDemand.ForInference(preset);
        if (count * sku.GpuCount < demand.GpuCount)
        {
            c.Error("resource.instanceType", $"Insufficient number of GPUs: Instance type {sku.Name} provides {count * sku.GpuCount}, but preset {preset.Name} requires at least {demand.GpuCount}");
        }

        if (sku.GpuMemoryBytes < demand.PerGpuBytes)
        {
            c.Error("resource.instanceType", $"Insufficient per GPU memory: Instance type {sku.Name} provides {QuantityText.Binary(sku.GpuMemoryBytes)} per GPU, but preset {preset.Name} requires at least {QuantityText.Binary(demand.PerGpuBytes)} per GPU");
        }

        if (count * sku.TotalGpuMemoryBytes < demand.TotalBytes)
        {
            c.Error("resource.instanceType", $"Insufficient total GPU memory: Instance type {sku.Name} has a total of {QuantityText.Binary(count * sku.TotalGpuMemoryBytes)}, but preset {preset.Name} requires at least {QuantityText.Binary(demand.TotalBytes)}");
        }
    }

    public static void CheckForTuning(ResourceSpec? resource, TuningSpec tuning, KaitoCatalog catalog, ValidationCollector c)
    {
        var count = resource?.EffectiveCount ?? 1;
        if (count > 1)
        {
            c.Error("resource.count", "Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.");
        }

        if (!catalog.Presets.TryGet(tuning.Preset?.Name, out var preset) || !preset.Tuning.Supported)
        {
            return;
        }

        var demand = GpuDemand.ForTuning(preset);
        var instanceType = resource?.InstanceType;
        if (string.IsNullOrEmpty(instanceType))
        {
            Choose(demand, 1, catalog.Skus, c);
            return;
        }

        // Upstream checks no GPU memory for tuning (its quick start tunes phi-3 on a 16 GB V100): advise, do not refuse.
        if (CheckKnown(instanceType, catalog.Skus, c, out var sku) && sku is not null && sku.TotalGpuMemoryBytes < demand.TotalBytes)
        {
            c.Warn($"{sku.Name} has {QuantityText.Binary(sku.TotalGpuMemoryBytes)} of GPU memory; tuning {preset.Name} is sized at {QuantityText.Binary(demand.TotalBytes)} and may run out of memory (qlora needs less than lora)");
        }
    }

    private static bool CheckKnown(string instanceType, SkuCatalog skus, ValidationCollector c, out GpuSku? sku)
    {
        if (skus.TryGet(instanceType, out var found))
        {
            sku = found;
            return true;
        }

        sku = null;
        if (instanceType.StartsWith("Standard_N", StringComparison.Ordinal) || instanceType.StartsWith("Standard_D", StringComparison.Ordinal))
        {
            c.Warn($"instance type {instanceType} is not in the SKU catalog; its GPU capacity is not checked");
            return true;
        }

        c.Error("resource.instanceType", $"Unsupported instance type {instanceType}. Supported SKUs: {string.Join(", ", skus.All.Select(s => s.Name))}");
        return false;
    }

    private static void Choose(GpuDemand demand, int count, SkuCatalog skus, ValidationCollector c)
    {
        if (InstanceTypeSelector.Choose(demand, count, skus) is { } decision)
        {
            c.InstanceType = decision;
        }
        else
        {
            c.Error("resource.instanceType", $"Required value: no catalog SKU fits {demand}; set resource.instanceType");
        }
    }
}
