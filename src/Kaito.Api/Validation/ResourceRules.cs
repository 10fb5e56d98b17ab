using Kaito.Api.Catalog;
using k8s.Models;
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
            CheckExpression(expressions[i], $"resource.labelSelector.matchExpressions[{i}]", c);
        }

        if (selector.MatchLabels is not { Count: > 0 } && expressions.Count == 0)
        {
            c.Warn("resource.labelSelector selects every node; provisioned nodes carry no workspace-specific label");
        }
    }

    // Upstream turns the selector into node labels (metav1.LabelSelectorAsMap), so only an "In" with one value can be
    // used; its errors are that function's.
    private static void CheckExpression(V1LabelSelectorRequirement e, string path, ValidationCollector c)
    {
        var op = e.OperatorProperty;
        if (!SelectorOperators.Contains(op))
        {
            c.Error($"{path}.operator", $"Unsupported value: \"{op}\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"");
            return;
        }

        if (op != "In")
        {
            c.Error($"{path}.operator", $"operator \"{op}\" cannot be converted into the old label selector format");
            return;
        }

        if (e.Values is not { Count: 1 } values)
        {
            c.Error($"{path}.values", "operator \"In\" without a single value cannot be converted into the old label selector format");
            return;
        }

        if (LabelSyntax.CheckKey(e.Key ?? "") is { } keyProblem)
        {
            c.Error($"{path}.key", $"Invalid label key: {keyProblem}");
        }

        if (LabelSyntax.CheckValue(values[0] ?? "") is { } valueProblem)
        {
            c.Error($"{path}.values[0]", $"Invalid value: \"{values[0]}\": {valueProblem}");
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

        var demand = preset is null ? null : GpuDemand.ForInference(preset);
        if (!CheckKnown(instanceType, demand, count, catalog.Skus, c, out var sku) || sku is null || demand is null || preset is null)
        {
            return;
        }

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

        var demand = catalog.Presets.TryGet(tuning.Preset?.Name, out var preset) && preset.Tuning.Supported
            ? GpuDemand.ForTuning(preset)
            : null;
        var instanceType = resource?.InstanceType;
        if (string.IsNullOrEmpty(instanceType))
        {
            if (demand is not null)
            {
                Choose(demand, 1, catalog.Skus, c);
            }

            return;
        }

        // Upstream checks no GPU memory for tuning (its quick start tunes phi-3 on a 16 GB V100): advise, do not refuse.
        if (CheckKnown(instanceType, demand, 1, catalog.Skus, c, out var sku, forTuning: true) && sku is not null && demand is not null
            && sku.TotalGpuMemoryBytes < demand.TotalBytes)
        {
            c.Warn($"{sku.Name} has {QuantityText.Binary(sku.TotalGpuMemoryBytes)} of GPU memory; tuning {demand.Preset} is sized at {QuantityText.Binary(demand.TotalBytes)} and may run out of memory (qlora needs less than lora)");
        }
    }

    private static bool CheckKnown(string instanceType, GpuDemand? demand, int count, SkuCatalog skus, ValidationCollector c, out GpuSku? sku, bool forTuning = false)
    {
        if (skus.TryGet(instanceType, out var found))
        {
            sku = found;
            return true;
        }

        sku = null;
        if (RetiredSkus.Contains(instanceType))
        {
            c.Error("resource.instanceType", RetiredMessage(instanceType, demand, count, skus, forTuning));
            return false;
        }

        if (instanceType.StartsWith("Standard_N", StringComparison.Ordinal) || instanceType.StartsWith("Standard_D", StringComparison.Ordinal))
        {
            c.Warn($"instance type {instanceType} is not in the SKU catalog; its GPU capacity is not checked");
            return true;
        }

        c.Error("resource.instanceType", $"Unsupported instance type {instanceType}. Supported SKUs: {string.Join(", ", skus.All.Select(s => s.Name))}");
        return false;
    }

    private static string RetiredMessage(string instanceType, GpuDemand? demand, int count, SkuCatalog skus, bool forTuning)
    {
        var current = skus.All.Where(s => s.Cloud == InstanceTypeSelector.DefaultCloud)
            .OrderBy(s => s.GpuCount).ThenBy(s => s.TotalGpuMemoryBytes).ThenBy(s => s.Name, StringComparer.Ordinal);
        if (demand is null)
        {
            return $"Instance type {instanceType} is retired. Supported SKUs: {string.Join(", ", current.Select(s => s.Name))}";
        }

        var fitting = current.Where(s => InstanceTypeSelector.Fits(s, demand, count)).Select(s => s.Name).ToList();
        var what = forTuning ? $"tuning preset {demand.Preset}" : $"preset {demand.Preset}";
        return fitting.Count == 0
            ? $"Instance type {instanceType} is retired, and no catalog SKU fits {what}"
            : $"Instance type {instanceType} is retired. SKUs that fit {what}: {string.Join(", ", fitting)}";
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
