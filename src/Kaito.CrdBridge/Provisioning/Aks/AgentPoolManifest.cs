using System.Globalization;
using System.Text.Json.Nodes;
using Kaito.Grains.Machines;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// The agent pool of a machine, shaped like gpu-provisioner's: one Linux VM scale-set node (count 1, mode User) of the
/// instance type, an OS disk of the preset's size, the machine's labels and taints plus <c>kaito.sh/machine-type</c>
/// and a creation time. A pure function of the spec, the options and the time.
/// </summary>
public static class AgentPoolManifest
{
    public static JsonObject Build(string machineName, MachineSpecRecord spec, AgentPoolOptions options, DateTimeOffset now)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.NodeSelector.Concat(spec.Labels))
        {
            labels[key] = value;
        }

        labels[AgentPoolLabels.MachineName] = machineName;
        labels[AgentPoolLabels.MachineType] = spec.InstanceType.StartsWith("Standard_N", StringComparison.Ordinal) ? "gpu" : "cpu";
        labels[AgentPoolLabels.CreationTimestamp] = now.UtcDateTime.ToString(AgentPoolLabels.CreationTimestampFormat, CultureInfo.InvariantCulture);

        var properties = new JsonObject
        {
            ["mode"] = "User",
            ["type"] = "VirtualMachineScaleSets",
            ["vmSize"] = spec.InstanceType,
            ["count"] = 1,
            ["osType"] = "Linux",
            ["osSKU"] = options.OsSku,
            ["nodeLabels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
            ["nodeTaints"] = new JsonArray([.. (spec.Taints.IsDefault ? [] : spec.Taints).Select(t => (JsonNode?)t)]),
        };
        if (OsDiskGigabytes(spec.StorageRequest) is { } disk)
        {
            properties["osDiskSizeGB"] = disk;
        }

        return new JsonObject { ["properties"] = properties };
    }

    /// <summary>The preset's disk request (<c>50Gi</c>) in whole GB as AKS takes it, rounded up; null when absent.</summary>
    public static int? OsDiskGigabytes(string? storage)
    {
        if (string.IsNullOrWhiteSpace(storage))
        {
            return null;
        }

        var bytes = new k8s.Models.ResourceQuantity(storage).ToDecimal();
        return bytes <= 0 ? null : (int)Math.Ceiling(bytes / (1024m * 1024m * 1024m));
    }

    /// <summary>The machine of one of Kaito's pools (nodeLabels with a workspace and a machine name); null for any other pool.</summary>
    public static string? MachineOf(JsonObject pool) =>
        pool["properties"]?["nodeLabels"] is JsonObject labels && labels[AgentPoolLabels.Workspace] is not null
            ? labels[AgentPoolLabels.MachineName]?.GetValue<string>()
            : null;

    /// <summary>When the pool was created, from its <c>kaito.sh/creation-timestamp</c> label.</summary>
    public static DateTimeOffset? CreatedAt(JsonObject pool) =>
        pool["properties"]?["nodeLabels"]?[AgentPoolLabels.CreationTimestamp]?.GetValue<string>() is { } value
        && DateTimeOffset.TryParseExact(value, AgentPoolLabels.CreationTimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}
