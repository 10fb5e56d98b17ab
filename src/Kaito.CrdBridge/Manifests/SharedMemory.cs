using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>A memory-backed <c>/dev/shm</c>: the container default (64 MiB) is too small for model runtimes.</summary>
internal static class SharedMemory
{
    public const string VolumeName = "dshm";

    public static void Mount(ManifestContext context, V1PodSpec pod)
    {
        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } });
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.VolumeMounts.Add(new V1VolumeMount { MountPath = "/dev/shm", Name = VolumeName });
    }
}
