using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Manifests;

/// <summary>
/// Builds the Kubernetes objects of one revision of a Workspace: a pure function of the intent (its spec record, revision
/// and worker nodes), the preset and SKU catalogs and the options. Objects come out with apiVersion and kind set, ready
/// for server-side apply.
/// </summary>
public sealed class WorkspaceManifestBuilder(KaitoCatalog catalog, ManifestOptions options)
{
    /// <summary>The object <paramref name="intent"/>'s target names (its kind; its name must be the one upstream gives it).</summary>
    /// <exception cref="ManifestException">The spec names an unknown preset, or has neither inference nor tuning.</exception>
    public IKubernetesObject<V1ObjectMeta> Build(KubernetesObjectIntent intent)
    {
        var built = Build(ManifestContext.Resolve(intent, catalog, options), intent.Target.Kind);
        if (built.Metadata.Name != intent.Target.Name || built.Metadata.NamespaceProperty != intent.Target.Namespace)
        {
            throw new ArgumentException(
                $"{intent.Target} does not match the object built for it ({built.Metadata.NamespaceProperty}/{built.Metadata.Name})", nameof(intent));
        }

        return built;
    }

    /// <summary>The default training ConfigMap (<c>lora-params-template</c> or <c>qlora-params-template</c>) that the Job
    /// of a tuning spec without <c>tuning.config</c> mounts; null for inference or a user ConfigMap.</summary>
    public V1ConfigMap? BuildDefaultTuningConfig(KubernetesObjectIntent intent)
    {
        var context = ManifestContext.Resolve(intent, catalog, options);
        return DefaultTuningConfig(context);
    }

    /// <summary>Every object of the revision in apply order: the ControllerRevision, then the default training ConfigMap
    /// and the Job, or the Service(s) and the workload. The intent's target is not read.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> BuildAll(KubernetesObjectIntent intent)
    {
        var context = ManifestContext.Resolve(intent, catalog, options);
        var objects = new List<IKubernetesObject<V1ObjectMeta>> { ControllerRevisionManifest.Build(context) };
        if (context.Spec.Mode == WorkspaceMode.Tuning)
        {
            if (DefaultTuningConfig(context) is { } config)
            {
                objects.Add(config);
            }

            objects.Add(TuningJobManifest.Build(context));
            return objects;
        }

        objects.Add(ServiceManifests.Service(context));
        if (context.Spec.Distributed)
        {
            objects.Add(ServiceManifests.Headless(context));
            objects.Add(InferenceWorkloads.StatefulSet(context));
        }
        else
        {
            objects.Add(InferenceWorkloads.Deployment(context));
        }

        return objects;
    }

    private static IKubernetesObject<V1ObjectMeta> Build(ManifestContext context, string kind) => kind switch
    {
        KubernetesKinds.ControllerRevision => ControllerRevisionManifest.Build(context),
        KubernetesKinds.Service => ServiceManifests.Service(context),
        KubernetesKinds.HeadlessService => ServiceManifests.Headless(context),
        KubernetesKinds.Deployment => InferenceWorkloads.Deployment(context),
        KubernetesKinds.StatefulSet => InferenceWorkloads.StatefulSet(context),
        KubernetesKinds.Job => TuningJobManifest.Build(context),
        _ => throw new ArgumentException($"No manifest for kind {kind}", nameof(kind)),
    };

    private static V1ConfigMap? DefaultTuningConfig(ManifestContext context) =>
        context.Workspace.Tuning is { Config: null or "" } tuning
            ? TuningConfigTemplates.Build(context.Namespace, tuning.Method ?? "")
            : null;
}
