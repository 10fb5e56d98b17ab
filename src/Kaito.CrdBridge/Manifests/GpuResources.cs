using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>The main container asks for all of the node's GPUs, as upstream; nothing when the SKU is unknown or has none.</summary>
internal static class GpuResources
{
    public const string ResourceName = "nvidia.com/gpu";

    public static void Request(ManifestContext context, V1PodSpec pod)
    {
        if (context.GpusPerPod <= 0)
        {
            return;
        }

        var quantity = new ResourceQuantity(context.GpusPerPod.ToString(System.Globalization.CultureInfo.InvariantCulture));
        pod.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { [ResourceName] = quantity },
            Requests = new Dictionary<string, ResourceQuantity> { [ResourceName] = quantity },
        };
    }
}
