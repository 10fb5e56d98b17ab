using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using k8s;
using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Tests.Manifests;

/// <summary>The spec record and intent the Workspace grain would send for a Workspace (as WorkspaceSpecFactory builds
/// them), so that tests start from the user's YAML.</summary>
internal static class SpecRecords
{
    public static WorkspaceSpecRecord For(Workspace workspace, KaitoCatalog catalog)
    {
        var specJson = KubernetesJson.Serialize(new { resource = workspace.Resource, inference = workspace.Inference, tuning = workspace.Tuning });
        var presetName = workspace.Inference?.Preset?.Name ?? workspace.Tuning?.Preset?.Name;
        var found = catalog.Presets.TryGet(presetName, out var preset);
        return new WorkspaceSpecRecord(
            specJson,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specJson))),
            workspace.Tuning is not null ? WorkspaceMode.Tuning : WorkspaceMode.Inference,
            workspace.Resource?.EffectiveCount ?? 1,
            workspace.Resource?.InstanceType ?? "",
            (workspace.Resource?.LabelSelector?.MatchLabels ?? new Dictionary<string, string>()).ToImmutableDictionary(),
            [.. workspace.Resource?.PreferredNodes ?? []],
            presetName,
            found ? preset.DiskStorage.ToString() : "100Gi",
            found && preset.Distributed && workspace.Inference is not null);
    }

    public static KubernetesObjectIntent Intent(
        Workspace workspace, KaitoCatalog catalog, string kind, string uid = "uid-1", int revision = 1, params string[] workerNodes)
    {
        var spec = For(workspace, catalog);
        var name = workspace.Metadata.Name;
        var objectName = kind switch
        {
            KubernetesKinds.ControllerRevision => $"{name}-{spec.ShortHash}",
            KubernetesKinds.HeadlessService => name + "-headless",
            _ => name,
        };
        var ns = workspace.Metadata.NamespaceProperty ?? "default";
        return new KubernetesObjectIntent(
            new KubernetesObjectReference(kind, ns, objectName), $"{ns}/{name}/{uid}", revision, spec, [.. workerNodes]);
    }
}
