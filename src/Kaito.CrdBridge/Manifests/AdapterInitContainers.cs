using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Each adapter's image is copied into <c>/mnt/adapter/&lt;name&gt;</c> by an init container; its strength is the
/// env var <c>&lt;name&gt;</c> of the model server (docs/runtime.md, "LoRA adapters and strength").</summary>
internal static class AdapterInitContainers
{
    public const string VolumeName = "adapter-volume";
    public const string MountPath = "/mnt/adapter";

    public static void Add(ManifestContext context, V1PodSpec pod)
    {
        var adapters = context.Workspace.Inference?.Adapters ?? [];
        if (adapters.Count == 0)
        {
            return;
        }

        var mount = new V1VolumeMount { MountPath = MountPath, Name = VolumeName };
        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.VolumeMounts.Add(mount);
        main.Env ??= [];
        pod.InitContainers ??= [];
        foreach (var adapter in adapters)
        {
            var name = adapter.Source?.Name ?? throw new ManifestException($"Workspace {context.Key.ObjectName}: an adapter has no source name");
            pod.InitContainers.Add(new V1Container
            {
                Name = name,
                Image = adapter.Source.Image,
                Command = ["/bin/sh", "-c", $"mkdir -p {MountPath}/{name} && cp -r /data/* {MountPath}/{name}"],
                VolumeMounts = [mount],
                ImagePullPolicy = "IfNotPresent",
            });
            main.Env.Add(new V1EnvVar { Name = name, Value = adapter.EffectiveStrength });
            ModelImages.AddPullSecrets(pod, adapter.Source.ImagePullSecrets);
        }
    }
}
