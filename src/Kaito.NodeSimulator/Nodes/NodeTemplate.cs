using System.Globalization;
using k8s.Models;

namespace Kaito.NodeSimulator.Nodes;

/// <summary>The Node object and the status a simulated kubelet would register for an instance type.</summary>
internal static class NodeTemplate
{
    public const string GpuResource = "nvidia.com/gpu";
    public const string ProviderPrefix = "kaito-sim://";

    public static V1Node Node(string name, string instanceType, IEnumerable<KeyValuePair<string, string>> labels, IList<V1Taint>? taints, int gpus, V1OwnerReference? owner)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            all[key] = value;
        }

        all[SimulatorLabels.InstanceType] = instanceType;
        all[SimulatorLabels.BetaInstanceType] = instanceType;
        all["kubernetes.io/os"] = "linux";
        all["kubernetes.io/arch"] = "amd64";
        all["kubernetes.io/hostname"] = name;
        all[SimulatorLabels.Simulated] = "true";
        if (gpus > 0)
        {
            all["accelerator"] = "nvidia";
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = all,
                OwnerReferences = owner is null ? null : [owner],
            },
            Spec = new V1NodeSpec
            {
                ProviderID = ProviderPrefix + name,
                Taints = taints is { Count: > 0 } ? taints : null,
            },
        };
    }

    public static V1NodeStatus Status(string instanceType, int gpus, int pods, string internalIp, string hostname, DateTime now)
    {
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(InstanceShape.Cpus(instanceType).ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new(InstanceShape.Memory(instanceType)),
            ["ephemeral-storage"] = new("512Gi"),
            ["pods"] = new(pods.ToString(CultureInfo.InvariantCulture)),
        };
        if (gpus > 0)
        {
            resources[GpuResource] = new(gpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1NodeStatus
        {
            Capacity = resources,
            Allocatable = new Dictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal),
            Phase = "Running",
            Addresses =
            [
                new V1NodeAddress { Type = "InternalIP", Address = internalIp },
                new V1NodeAddress { Type = "Hostname", Address = hostname },
            ],
            Conditions =
            [
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status (simulated)", now),
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                OperatingSystem = "linux",
                OsImage = "Kaito.NET simulated node",
                KernelVersion = "0.0.0-simulated",
                KubeletVersion = "v1.20.2-simulated",
                KubeProxyVersion = "v1.20.2-simulated",
                ContainerRuntimeVersion = "containerd://simulated",
                BootID = hostname,
                MachineID = hostname,
                SystemUUID = hostname,
            },
        };
    }

    public static string? InternalIp(V1Node node) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;

    public static bool IsSimulated(V1Node node) =>
        node.Metadata?.Labels?.TryGetValue(SimulatorLabels.Simulated, out var value) == true && value == "true";

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = now, LastTransitionTime = now };
}
