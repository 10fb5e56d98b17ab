using k8s;
using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Manifests;

/// <summary>What every builder and modifier reads, resolved once from an intent: the spec, its preset and SKU, the owner.</summary>
internal sealed record ManifestContext(
    WorkspaceKey Key,
    Workspace Workspace,
    WorkspaceSpecRecord Spec,
    int Revision,
    IReadOnlyList<string> WorkerNodes,
    ModelPreset? Preset,
    GpuSku? Sku,
    ManifestOptions Options)
{
    public string Name => Key.Name;

    public string Namespace => Key.Namespace;

    /// <summary>GPUs each pod asks for: all of the node's; none when the SKU is unknown or has none.</summary>
    public int GpusPerPod => Sku?.GpuCount ?? 0;

    public string HeadlessServiceName => Name + "-headless";

    /// <summary>The workload's pod selector; only the name, as upstream, because a selector can never change.</summary>
    public Dictionary<string, string> SelectorLabels => new() { [KaitoLabels.WorkspaceName] = Name };

    public Dictionary<string, string> OwnedLabels => new()
    {
        [KaitoLabels.WorkspaceName] = Name,
        [KaitoLabels.WorkspaceNamespace] = Namespace,
    };

    public static ManifestContext Resolve(KubernetesObjectIntent intent, KaitoCatalog catalog, ManifestOptions options)
    {
        var key = WorkspaceKey.Parse(intent.WorkspaceKey);
        var workspace = KubernetesJson.Deserialize<Workspace>(intent.Spec.SpecJson);
        if (workspace.Inference is null && workspace.Tuning is null)
        {
            throw new ManifestException($"Workspace {key.ObjectName} has neither inference nor tuning");
        }

        var presetName = workspace.Inference?.Preset?.Name ?? workspace.Tuning?.Preset?.Name;
        ModelPreset? preset = null;
        if (presetName is not null && !catalog.Presets.TryGet(presetName, out preset))
        {
            throw new ManifestException($"Workspace {key.ObjectName}: unsupported preset name {presetName}");
        }

        catalog.Skus.TryGet(intent.Spec.InstanceType, out var sku);
        var workerNodes = intent.WorkerNodes.IsDefault ? [] : intent.WorkerNodes.ToList();
        return new ManifestContext(key, workspace, intent.Spec, intent.Revision, workerNodes, preset, sku, options);
    }
}
