using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>
/// The Kaito.Runtime container of a preset: port 5000, <c>/healthz</c> probes, the reason for a failed start in the
/// termination message (docs/runtime.md).
/// </summary>
internal static class ModelServerContainer
{
    public const int Port = 5000;
    public const string HealthPath = "/healthz";
    public const string TerminationMessagePath = "/dev/termination-log";

    public static void Add(ManifestContext context, V1PodSpec pod) => pod.Containers.Insert(0, new V1Container
    {
        Name = context.Name,
        Image = ModelImages.Inference(context),
        Ports = context.Spec.Distributed
            ? [new V1ContainerPort { ContainerPort = Port, Name = "http" }, new V1ContainerPort { ContainerPort = ServiceManifests.TorchPort, Name = "torch" }]
            : [new V1ContainerPort { ContainerPort = Port, Name = "http" }],
        // Loading a model takes minutes: liveness waits 10 min before it may restart the pod, readiness polls early.
        LivenessProbe = HealthProbe(initialDelaySeconds: 600),
        ReadinessProbe = HealthProbe(initialDelaySeconds: 30),
        // The runtime writes why it could not start (a model or adapter that does not load) here; when it dies
        // without writing (killed, a crash), the last lines of its log say why instead of an empty message.
        TerminationMessagePath = TerminationMessagePath,
        TerminationMessagePolicy = "FallbackToLogsOnError",
    });

    /// <summary>Multi-node presets: where rank 0 is and how many ranks there are, under torch's names.</summary>
    public static void AddDistributedEnvironment(ManifestContext context, V1PodSpec pod)
    {
        if (!context.Spec.Distributed)
        {
            return;
        }

        var env = pod.Containers[0].Env ??= [];
        env.Add(new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } });
        env.Add(new V1EnvVar { Name = "MASTER_ADDR", Value = $"{context.Name}-0.{context.HeadlessServiceName}.{context.Namespace}.svc.cluster.local" });
        env.Add(new V1EnvVar { Name = "MASTER_PORT", Value = ServiceManifests.TorchPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        env.Add(new V1EnvVar { Name = "WORLD_SIZE", Value = context.Spec.NodeCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static V1Probe HealthProbe(int initialDelaySeconds) => new()
    {
        HttpGet = new V1HTTPGetAction { Port = Port, Path = HealthPath },
        InitialDelaySeconds = initialDelaySeconds,
        PeriodSeconds = 10,
    };
}
