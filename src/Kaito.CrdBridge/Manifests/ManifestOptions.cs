using Kaito.Api.Catalog;

namespace Kaito.CrdBridge.Manifests;

/// <summary>Images and commands the manifests use that are not in the Workspace or the catalog.</summary>
public sealed record ManifestOptions
{
    public const string SectionName = "Manifests";

    /// <summary>Registry of the public preset images, <c>&lt;registry&gt;/kaito-&lt;preset&gt;:&lt;tag&gt;</c>; upstream's by default.</summary>
    public string Registry { get; init; } = PresetCatalog.DefaultRegistry;

    /// <summary>Overrides every preset's catalog tag (e.g. a tag built from this repository); null keeps the catalog's.</summary>
    public string? ImageTag { get; init; }

    /// <summary>The init container that downloads <c>tuning.input.urls</c> into /mnt/data (needs sh and curl).</summary>
    public string DataDownloaderImage { get; init; } = "curlimages/curl:8.10.1";

    /// <summary>The sidecar that pushes the tuned adapter as an image (needs sh, tar and crane).</summary>
    public string ImagePusherImage { get; init; } = "gcr.io/go-containerregistry/crane:debug";

    /// <summary>The base of a pushed adapter image: the adapter files land in /data on top of it; it needs sh and cp
    /// because an inference pod's init container copies /data out of it.</summary>
    public string AdapterBaseImage { get; init; } = "busybox:1.36";

    /// <summary>The trainer's shell command in the tuning container. Upstream's, which its preset images (the default
    /// registry's) carry; it writes the adapter to /mnt/results.</summary>
    public string TrainerCommand { get; init; } =
        "python3 metrics_server.py & accelerate launch --num_processes 1 /workspace/tfs/fine_tuning.py";
}
