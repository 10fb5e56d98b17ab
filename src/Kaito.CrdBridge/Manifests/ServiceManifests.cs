using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>The inference Service <c>&lt;ws&gt;</c> and, for a distributed preset, the headless Service the StatefulSet's pods
/// find each other through.</summary>
internal static class ServiceManifests
{
    public const int HttpPort = 80;
    public const int TorchPort = 29500;

    public static V1Service Service(ManifestContext context)
    {
        var selector = context.SelectorLabels;
        if (context.Spec.Distributed)
        {
            // The API answers on the first pod, which leads the others (upstream).
            selector["statefulset.kubernetes.io/pod-name"] = context.Name + "-0";
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = OwnedMetadata.For(context, context.Name),
            Spec = new V1ServiceSpec
            {
                // kaito.sh/enablelb lives on the Workspace's metadata, which the spec record does not carry: ClusterIP.
                Type = "ClusterIP",
                Ports =
                [
                    new V1ServicePort { Name = "http", Protocol = "TCP", Port = HttpPort, TargetPort = ModelServerContainer.Port },
                    new V1ServicePort { Name = "torch", Protocol = "TCP", Port = TorchPort, TargetPort = TorchPort },
                ],
                Selector = selector,
                // Pods find each other by DNS while they start, before they are ready.
                PublishNotReadyAddresses = true,
            },
        };
    }

    public static V1Service Headless(ManifestContext context) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = OwnedMetadata.For(context, context.HeadlessServiceName),
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            Ports = [new V1ServicePort { Name = "torchrun", Protocol = "TCP", Port = TorchPort, TargetPort = TorchPort }],
            Selector = context.SelectorLabels,
            PublishNotReadyAddresses = true,
        },
    };
}
