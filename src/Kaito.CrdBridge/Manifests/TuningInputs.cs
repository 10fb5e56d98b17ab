using k8s.Models;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Puts the training data in <c>/mnt/data</c>: downloaded from <c>input.urls</c>, copied out of <c>input.image</c>,
/// or the user's <c>input.volumeSource</c> mounted there.</summary>
internal static class TuningInputs
{
    public const string VolumeName = "data-volume";
    public const string MountPath = "/mnt/data";

    // File names are the URL's last segment with ?, = and & made safe (upstream's downloader); three tries each.
    private const string DownloadScript = """
        set -e
        for url in $DATA_URLS; do
          file="$DATA_VOLUME_PATH/$(basename "${url%%\?*}")"
          echo "downloading $url to $file"
          curl -sSfL --retry 3 --retry-delay 5 -o "$file" "$url"
        done
        """;

    public static void Add(ManifestContext context, V1PodSpec pod)
    {
        var input = context.Workspace.Tuning?.Input ?? throw new ManifestException($"Workspace {context.Key.ObjectName}: tuning has no input");
        var mount = new V1VolumeMount { MountPath = MountPath, Name = VolumeName };
        var main = pod.Containers[0];
        main.VolumeMounts ??= [];
        main.VolumeMounts.Add(mount);
        pod.Volumes ??= [];
        if (input.Volume is { } volume)
        {
            var own = KubeCopy.Of(volume);
            own.Name = VolumeName;
            pod.Volumes.Add(own);
            return;
        }

        pod.Volumes.Add(new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        pod.InitContainers ??= [];
        if (input.Image is { Length: > 0 } image)
        {
            pod.InitContainers.Add(new V1Container
            {
                Name = "data-extractor",
                Image = image,
                Command = ["/bin/sh", "-c", $"cp -r /data/* {MountPath}/"],
                VolumeMounts = [mount],
            });
            ModelImages.AddPullSecrets(pod, input.ImagePullSecrets);
            return;
        }

        pod.InitContainers.Add(new V1Container
        {
            Name = "data-downloader",
            Image = context.Options.DataDownloaderImage,
            Command = ["/bin/sh", "-c", DownloadScript],
            Env =
            [
                new V1EnvVar { Name = "DATA_URLS", Value = string.Join(' ', input.Urls ?? []) },
                new V1EnvVar { Name = "DATA_VOLUME_PATH", Value = MountPath },
            ],
            VolumeMounts = [mount],
        });
    }
}
