using k8s;
using Kaito.Api.Catalog;
using Kaito.Api.Validation;
using Kaito.Api.V1Alpha1;

namespace Kaito.Grains.Workspaces;

/// <summary>Upstream's admission rules (<see cref="WorkspaceValidator"/>) over the shipped preset and SKU catalogs.</summary>
public sealed class CatalogWorkspaceSpecRules(KaitoCatalog catalog) : IWorkspaceSpecRules
{
    /// <summary>Used for template workloads, which name no preset and so no disk size.</summary>
    public const string DefaultStorageRequest = "100Gi";

    private readonly WorkspaceValidator _validator = new(catalog);

    public SpecDecision CheckCreate(Workspace workspace)
    {
        var result = _validator.ValidateCreate(workspace);
        return Decide(workspace, result) with { InstanceTypeReason = result.InstanceType?.Reason ?? DefaultedReason(workspace) };
    }

    public SpecDecision CheckUpdate(Workspace accepted, Workspace updated) =>
        Decide(updated, _validator.ValidateUpdate(accepted, updated));

    private SpecDecision Decide(Workspace workspace, ValidationResult result)
    {
        var presetName = workspace.Inference?.Preset?.Name ?? workspace.Tuning?.Preset?.Name;
        var found = catalog.Presets.TryGet(presetName, out var preset);
        return new SpecDecision(
            result.Errors.Select(e => e.ToString()).ToList(),
            result.Warnings,
            workspace.Resource?.InstanceType is { Length: > 0 } own ? own : result.InstanceType?.InstanceType,
            found ? preset.DiskStorage.ToString() : DefaultStorageRequest,
            found && preset.Distributed && workspace.Inference is not null);
    }

    /// <summary>
    /// The defaulting webhook filled in the SKU and marked it with its annotation: the reason, worked out again from
    /// the catalog (the annotation's text is the user's to edit, so it is not copied), when it is still the SKU the
    /// catalog chooses.
    /// </summary>
    private string? DefaultedReason(Workspace workspace)
    {
        if (workspace.Metadata?.Annotations?.ContainsKey(WorkspaceAnnotations.InstanceTypeReason) != true
            || workspace.Resource?.InstanceType is not { Length: > 0 } instanceType)
        {
            return null;
        }

        var unset = KubernetesJson.Deserialize<Workspace>(KubernetesJson.Serialize(workspace));
        unset.Resource!.InstanceType = null;
        return _validator.ValidateCreate(unset).InstanceType is { } chosen && chosen.InstanceType == instanceType
            ? $"{chosen.Reason} (filled in by the admission webhook)"
            : null;
    }
}
