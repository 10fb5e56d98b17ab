using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Where the trainer's <c>/mnt/results</c> goes: the user's <c>output.volumeSource</c>, or an image pushed by a
/// sidecar once the trainer has exited 0. The image is <see cref="ManifestOptions.AdapterBaseImage"/> plus the results in
/// /data, the layout an inference pod's adapter init container copies from.</summary>
internal static class TuningOutputs
{
    public const string VolumeName = "results-volume";
    public const string MountPath = "/mnt/results";
    public const string PushSecretVolumeName = "push-secret";

    /// <summary>The trainer writes its exit code here so that the pusher knows when, and whether, to push.</summary>
    public const string ExitCodeFile = MountPath + "/.trainer-exit-code";

    // crane appends a layer to a base image without a Docker daemon or privileges; it reads $DOCKER_CONFIG/config.json.
    private const string PushScript = """
        until [ -f "$EXIT_CODE_FILE" ]; do sleep 5; done
        code=$(cat "$EXIT_CODE_FILE")
        if [ "$code" != "0" ]; then echo "trainer exited $code: nothing to push"; exit 1; fi
        mkdir -p /tmp/layer/data
        cp -r /mnt/results/. /tmp/layer/data/
        rm -f "/tmp/layer/data/$(basename "$EXIT_CODE_FILE")"
        tar -C /tmp/layer -cf /tmp/adapter.tar data
        crane append --base "$ADAPTER_BASE_IMAGE" --new_layer /tmp/adapter.tar --new_tag "$OUTPUT_IMAGE"
        """;

    public static void Add(ManifestContext context, V1PodSpec pod)
    {
        var output = context.Workspace.Tuning?.Output ?? throw new ManifestException($"Workspace {context.Key.ObjectName}: tuning has no output");
        var mount = new V1VolumeMount { MountPath = MountPath, Name = VolumeName };
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.VolumeMounts.Add(mount);
        pod.Volumes ??= [];
        if (output.Volume is { } volume)
        {
            var own = KubeCopy.Of(volume);
            own.Name = VolumeName;
            pod.Volumes.Add(own);
            return;
        }

        pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        main.Command = ["/bin/sh", "-c", $"{context.Options.TrainerCommand}; code=$?; echo $code > {ExitCodeFile}; exit $code"];
        var sidecar = new V1Container
        {
            Name = "adapter-pusher",
            Image = context.Options.ImagePusherImage,
            Command = ["/bin/sh", "-c", PushScript],
            Env =
            [
                new V1EnvVar { Name = "OUTPUT_IMAGE", Value = output.Image },
                new V1EnvVar { Name = "ADAPTER_BASE_IMAGE", Value = context.Options.AdapterBaseImage },
                new V1EnvVar { Name = "EXIT_CODE_FILE", Value = ExitCodeFile },
                new V1EnvVar { Name = "DOCKER_CONFIG", Value = "/kaito/docker" },
            ],
            VolumeMounts = [mount],
        };
        if (output.ImagePushSecret is { Length: > 0 } secret)
        {
            // A kubernetes.io/dockerconfigjson secret: its one key becomes $DOCKER_CONFIG/config.json.
            pod.Volumes.Add(new V1Volume
            {
                Name = PushSecretVolumeName,
                Secret = new V1SecretVolumeSource { SecretName = secret, Items = [new V1KeyToPath { Key = ".dockerconfigjson", Path = "config.json" }] },
            });
            sidecar.VolumeMounts.Add(new V1VolumeMount { MountPath = "/kaito/docker", Name = PushSecretVolumeName, ReadOnlyProperty = true });
        }

        pod.Containers.Add(sidecar);
    }
}
