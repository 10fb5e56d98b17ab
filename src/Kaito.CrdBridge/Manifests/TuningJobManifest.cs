using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>The tuning Job <c>&lt;ws&gt;</c>: one pod, never retried (backoffLimit 0), the trainer reading /mnt/config and
/// /mnt/data and writing /mnt/results, on the workspace's GPU node.</summary>
internal static class TuningJobManifest
{
    public const string ConfigVolumeName = "config-volume";
    public const string ConfigMountPath = "/mnt/config";

    private static readonly PodSpecModifier[] Pipeline =
    [
        TrainerContainer,
        GpuResources.Request,
        SharedMemory.Mount,
        TrainingConfig,
        TuningInputs.Add,
        TuningOutputs.Add,
        NodePlacement.RequireWorkspaceNodes,
        NodePlacement.TolerateGpuTaints,
    ];

    public static V1Job Build(ManifestContext context)
    {
        var pod = new V1PodSpec { Containers = [], RestartPolicy = "Never" };
        foreach (var modify in Pipeline)
        {
            modify(context, pod);
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = OwnedMetadata.For(context, context.Name),
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = context.OwnedLabels }, Spec = pod },
            },
        };
    }

    private static void TrainerContainer(ManifestContext context, V1PodSpec pod) => pod.Containers.Insert(0, new V1Container
    {
        Name = context.Name,
        Image = ModelImages.Public(context),
        Command = ["/bin/sh", "-c", context.Options.TrainerCommand],
    });

    private static void TrainingConfig(ManifestContext context, V1PodSpec pod)
    {
        var name = TuningConfigTemplates.ConfigMapName(context.Workspace.Tuning!);
        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = ConfigVolumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = name } });
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.VolumeMounts.Add(new V1VolumeMount { MountPath = ConfigMountPath, Name = ConfigVolumeName });
    }
}
