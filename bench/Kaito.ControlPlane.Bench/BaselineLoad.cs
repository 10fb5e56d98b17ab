using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Manifests;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// The baseline: what the control plane writes per inference workspace (a ControllerRevision, the Service, the
/// Deployment), built by the product's own <see cref="WorkspaceManifestBuilder"/> for the same spec and node, created
/// directly with the typed client. The ownerReferences are left out: their Workspace does not exist, and the garbage
/// collector would delete the objects while they are counted.
/// </summary>
internal static class BaselineLoad
{
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(KaitoCatalog catalog, string ns, string name, string node)
    {
        var workspace = BenchWorkspaces.Typed(ns, name);
        var specJson = WorkspaceSpecFactory.CanonicalSpecJson(workspace);
        var found = catalog.Presets.TryGet(BenchWorkspaces.Preset, out var preset);
        var spec = new WorkspaceSpecRecord(
            specJson, WorkspaceSpecFactory.Hash(specJson), WorkspaceMode.Inference, 1, BenchWorkspaces.InstanceType,
            workspace.Resource!.LabelSelector!.MatchLabels!.ToImmutableDictionary(), [], BenchWorkspaces.Preset,
            found ? preset.DiskStorage.ToString() : "100Gi", false);
        var intent = new KubernetesObjectIntent(
            new KubernetesObjectReference(KubernetesKinds.Deployment, ns, name), $"{ns}/{name}/{Guid.NewGuid()}", 1, spec, [node]);
        var objects = new WorkspaceManifestBuilder(catalog, new ManifestOptions()).BuildAll(intent);
        foreach (var obj in objects)
        {
            obj.Metadata.OwnerReferences = null;
        }

        return objects;
    }

    public static async Task CreateAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> obj)
    {
        var ns = obj.Metadata.NamespaceProperty;
        switch (obj)
        {
            case V1ControllerRevision revision:
                await client.AppsV1.CreateNamespacedControllerRevisionAsync(revision, ns);
                break;
            case V1Service service:
                await client.CoreV1.CreateNamespacedServiceAsync(service, ns);
                break;
            case V1Deployment deployment:
                await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
                break;
            default:
                throw new InvalidOperationException($"unexpected {obj.Kind} in the baseline");
        }
    }
}
