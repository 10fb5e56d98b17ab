using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Each adapter lands in <c>/mnt/adapter/&lt;name&gt;</c>: an image adapter is copied there by an init container,
/// a volume adapter is mounted there. Its strength is the env var <c>&lt;name&gt;</c> of the model server
/// (docs/runtime.md, "LoRA adapters and strength"). Container and volume names come from <see cref="AdapterNames"/>.</summary>
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
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.Env ??= [];
        pod.InitContainers ??= [];
        if (adapters.Any(a => a.Source?.Volume is null))
        {
            pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
            main.VolumeMounts.Add(mount);
        }

        foreach (var adapter in adapters)
        {
            var name = adapter.Source?.Name ?? throw new ManifestException($"Workspace {context.Key.ObjectName}: an adapter has no source name");
            if (adapter.Source.Volume is { } volume)
            {
                var own = KubeCopy.Of(volume);
                own.Name = AdapterNames.VolumeName(name);
                pod.Volumes.Add(own);
                main.VolumeMounts.Add(new V1VolumeMount { MountPath = $"{MountPath}/{name}", Name = own.Name });
            }
            else
            {
                pod.InitContainers.Add(new V1Container
                {
                    Name = AdapterNames.ContainerName(name),
                    Image = adapter.Source.Image,
                    Command = ["/bin/sh", "-c", $"mkdir -p {MountPath}/{name} && cp -r /data/* {MountPath}/{name}"],
                    VolumeMounts = [mount],
                    ImagePullPolicy = "IfNotPresent",
                });
                ModelImages.AddPullSecrets(pod, adapter.Source.ImagePullSecrets);
            }

            main.Env.Add(new V1EnvVar { Name = name, Value = adapter.EffectiveStrength });
        }
    }
}
