using System.Text.Json.Nodes;
using Kaito.Grains.Machines;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>
/// The NodeClaim (karpenter.sh/v1) and legacy Machine (karpenter.sh/v1alpha5) of a machine, shaped like upstream
/// Kaito's: pure functions of the machine name, its spec and the options.
/// </summary>
public static class KarpenterManifests
{
    public const string DoNotDisruptAnnotation = "karpenter.sh/do-not-disrupt";
    public const string NodeImageFamilyAnnotation = "kaito.sh/node-image-family";
    public const string InstanceTypeLabel = "node.kubernetes.io/instance-type";
    public const string NodePoolLabel = "karpenter.sh/nodepool";
    public const string ProvisionerNameLabel = "karpenter.sh/provisioner-name";
    public const string MachineTypeLabel = "kaito.sh/machine-type";

    /// <summary>Upstream v0.12's NodeClaim: fake nodepool <c>kaito</c> so Karpenter never scales it, never disrupted.</summary>
    public static JsonObject NodeClaim(string machineName, MachineSpecRecord spec, NodeProvisionerOptions options)
    {
        var annotations = new JsonObject { [DoNotDisruptAnnotation] = "true" };
        if (!string.IsNullOrEmpty(options.NodeImageFamily))
        {
            annotations[NodeImageFamilyAnnotation] = options.NodeImageFamily;
        }

        var requirements = new JsonArray(
            In(NodePoolLabel, "kaito"),
            In(InstanceTypeLabel, spec.InstanceType),
            In("kubernetes.io/os", "linux"));
        if (!string.IsNullOrEmpty(options.SkuNameRequirementKey))
        {
            requirements.Add(In(options.SkuNameRequirementKey, spec.InstanceType));
        }

        var body = new JsonObject
        {
            ["nodeClassRef"] = new JsonObject
            {
                ["group"] = options.NodeClassGroup, ["kind"] = options.NodeClassKind, ["name"] = options.NodeClassName,
            },
            ["taints"] = Taints(spec),
            ["requirements"] = requirements,
        };
        AddStorage(body, spec);
        return Object(KarpenterResource.NodeClaim, machineName, Labels(spec.Labels.SetItem(NodePoolLabel, "kaito")), annotations, body);
    }

    /// <summary>Upstream v0.3.2's Machine: provisioner <c>default</c>, machine type <c>gpu</c>, linux on amd64.</summary>
    public static JsonObject Machine(string machineName, MachineSpecRecord spec)
    {
        var body = new JsonObject
        {
            ["machineTemplateRef"] = new JsonObject { ["name"] = machineName },
            ["requirements"] = new JsonArray(
                In(InstanceTypeLabel, spec.InstanceType),
                In(ProvisionerNameLabel, "default"),
                In(MachineTypeLabel, "gpu"),
                In("kubernetes.io/arch", "amd64"),
                In("kubernetes.io/os", "linux")),
            ["taints"] = Taints(spec),
        };
        AddStorage(body, spec);
        return Object(KarpenterResource.Machine, machineName, Labels(spec.Labels.SetItem(ProvisionerNameLabel, "default")), null, body);
    }

    /// <summary>A taint string <c>key=value:Effect</c> (or <c>key:Effect</c>) as a Kubernetes taint object.</summary>
    public static JsonObject Taint(string taint)
    {
        var colon = taint.LastIndexOf(':');
        if (colon <= 0 || colon == taint.Length - 1)
        {
            throw new FormatException($"Taint \"{taint}\" is not key=value:Effect");
        }

        var keyValue = taint[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        var result = new JsonObject { ["key"] = equals < 0 ? keyValue : keyValue[..equals] };
        if (equals >= 0)
        {
            result["value"] = keyValue[(equals + 1)..];
        }

        result["effect"] = taint[(colon + 1)..];
        return result;
    }

    private static JsonObject Object(KarpenterResource resource, string name, JsonObject labels, JsonObject? annotations, JsonObject spec)
    {
        var metadata = new JsonObject { ["name"] = name, ["labels"] = labels };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = metadata, ["spec"] = spec,
        };
    }

    private static JsonObject Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var result = new JsonObject();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private static JsonArray Taints(MachineSpecRecord spec) =>
        new([.. (spec.Taints.IsDefault ? [] : spec.Taints).Select(JsonNode (t) => Taint(t))]);

    private static void AddStorage(JsonObject body, MachineSpecRecord spec)
    {
        if (!string.IsNullOrEmpty(spec.StorageRequest))
        {
            body["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = spec.StorageRequest } };
        }
    }

    private static JsonObject In(string key, string value) =>
        new() { ["key"] = key, ["operator"] = "In", ["values"] = new JsonArray(value) };
}
