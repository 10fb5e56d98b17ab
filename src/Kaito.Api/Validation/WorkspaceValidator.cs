using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

/// <summary>
/// Upstream Kaito's admission rules and messages, on create and on update, against the preset and SKU catalogs.
/// Every error is reported at once with its field path. Pure: no cluster, no clock.
/// </summary>
public sealed class WorkspaceValidator(KaitoCatalog catalog)
{
    public KaitoCatalog Catalog { get; } = catalog;

    public ValidationResult ValidateCreate(Workspace workspace)
    {
        var c = new ValidationCollector();
        CheckName(workspace, c);
        var hasInference = workspace.Inference is not null;
        var hasTuning = workspace.Tuning is not null;
        if (!hasInference && !hasTuning)
        {
            c.Error("[inference, tuning]", "Either Inference or Tuning must be specified, not neither");
        }

        if (hasInference && hasTuning)
        {
            c.Error("[inference, tuning]", "Either Inference or Tuning must be specified, but not both");
        }

        ResourceRules.CheckShape(workspace.Resource, c);
        if (workspace.Inference is { } inference)
        {
            InferenceRules.Check(inference, Catalog.Presets, c);
            ResourceRules.CheckForInference(workspace.Resource, inference, Catalog, c);
        }
        else if (workspace.Tuning is { } tuning)
        {
            TuningRules.Check(tuning, Catalog.Presets, c);
            ResourceRules.CheckForTuning(workspace.Resource, tuning, Catalog, c);
        }

        return c.ToResult();
    }

    /// <summary>The update rules (immutable fields, no toggling inference/tuning) plus every create rule on the new spec.</summary>
    public ValidationResult ValidateUpdate(Workspace old, Workspace updated)
    {
        var result = ValidateCreate(updated);
        var c = new ValidationCollector { InstanceType = result.InstanceType };
        c.Errors.AddRange(result.Errors);
        c.Warnings.AddRange(result.Warnings);
        UpdateRules.Check(old, updated, c);
        return c.ToResult();
    }

    private static void CheckName(Workspace workspace, ValidationCollector c)
    {
        var name = workspace.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            c.Error("metadata.name", "Required value");
        }
        else if (Dns1035.CheckLabel(name) is { } problem) // the Service is named after the workspace
        {
            c.Error("metadata.name", $"Invalid value: \"{name}\": {problem}");
        }
    }
}
