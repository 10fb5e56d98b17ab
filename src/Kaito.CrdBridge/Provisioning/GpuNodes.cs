using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Grains.Machines;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>What a provisioner reads off a Node: Ready, nvidia.com/gpu capacity, upstream's NVIDIA plugin label.</summary>
internal static class GpuNodes
{
    public const string GpuResource = "nvidia.com/gpu";
    public const string AcceleratorLabel = "accelerator";
    public const string AcceleratorNvidia = "nvidia";

    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsDeleting(V1Node node) => node.Metadata.DeletionTimestamp is not null;

    public static int GpuCapacity(V1Node node) =>
        node.Status?.Capacity is { } capacity && capacity.TryGetValue(GpuResource, out var quantity) ? (int)quantity.ToInt64() : 0;

    public static NodeObservation Observe(V1Node node) => new(node.Metadata.Name, IsReady(node), GpuCapacity(node));

    /// <summary>Upstream labels <c>Standard_N*</c> nodes <c>accelerator=nvidia</c> (its NVIDIA plugin check) when missing.</summary>
    public static async Task<V1Node> EnsureNvidiaLabelAsync(IKubernetes client, V1Node node, string? instanceType, CancellationToken cancellationToken)
    {
        if (instanceType is null || !IsAzureGpuSku(instanceType)
            || node.Metadata.Labels?.TryGetValue(AcceleratorLabel, out var value) == true && value == AcceleratorNvidia)
        {
            return node;
        }

        return await client.CoreV1.PatchNodeAsync(LabelPatch(AcceleratorLabel, AcceleratorNvidia), node.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>A merge patch that sets (or, with null, removes) one label; with a resourceVersion it only applies to that version.</summary>
    public static V1Patch LabelPatch(string key, string? value, string? resourceVersion = null)
    {
        var metadata = new JsonObject { ["labels"] = new JsonObject { [key] = value } };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return new V1Patch(new JsonObject { ["metadata"] = metadata }.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    private static bool IsAzureGpuSku(string instanceType) => instanceType.StartsWith("Standard_N", StringComparison.Ordinal);
}
