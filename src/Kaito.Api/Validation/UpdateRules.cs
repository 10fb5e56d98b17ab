using k8s;
using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.Api.Validation;

/// <summary>Upstream's update rules: what may not change once a Workspace exists.</summary>
internal static class UpdateRules
{
    public static void Check(Workspace old, Workspace updated, ValidationCollector c)
    {
        if ((old.Inference is null) != (updated.Inference is null))
        {
            c.Error("inference", "Inference field cannot be toggled once set");
        }

        if ((old.Tuning is null) != (updated.Tuning is null))
        {
            c.Error("tuning", "Tuning field cannot be toggled once set");
        }

        if ((old.Resource?.EffectiveCount ?? 1) != (updated.Resource?.EffectiveCount ?? 1))
        {
            c.Error("resource.count", "field is immutable");
        }

        if ((old.Resource?.InstanceType ?? "") != (updated.Resource?.InstanceType ?? ""))
        {
            c.Error("resource.instanceType", "field is immutable");
        }

        CheckLabelSelector(old.Resource?.LabelSelector, updated.Resource?.LabelSelector, c);

        if (old.Inference is { } oldInference && updated.Inference is { } newInference)
        {
            if (!SameJson(oldInference.Preset, newInference.Preset))
            {
                c.Error("inference.preset", "field is immutable");
            }

            if ((oldInference.Template is null) != (newInference.Template is null))
            {
                c.Error("inference.template", "field cannot be unset/set if it was set/unset");
            }
        }

        if (old.Tuning is { } oldTuning && updated.Tuning is { } newTuning)
        {
            if (!SameJson(oldTuning.Preset, newTuning.Preset))
            {
                c.Error("tuning.preset", "Preset cannot be changed");
            }

            if (!string.Equals(oldTuning.Method, newTuning.Method, StringComparison.OrdinalIgnoreCase))
            {
                c.Error("tuning.method", "Method cannot be changed");
            }

            if (oldTuning.Input is { } oldInput && newTuning.Input is { } newInput && oldInput.Name != newInput.Name)
            {
                c.Error("tuning.input.name", "During tuning Name field cannot be changed once set");
            }
        }
    }

    // Upstream compares the node labels the selectors stand for, so matchLabels {a: b} may become an "In" with one
    // value for a; a selector that stands for no labels cannot be compared at all.
    private static void CheckLabelSelector(V1LabelSelector? old, V1LabelSelector? updated, ValidationCollector c)
    {
        var oldLabels = LabelSelectorLabels.Of(old);
        var newLabels = LabelSelectorLabels.Of(updated);
        if (oldLabels is null || newLabels is null)
        {
            c.Error("resource.labelSelector", "Only allow matchLabels or 'IN' matchExpression");
        }
        else if (oldLabels.Count != newLabels.Count || oldLabels.Except(newLabels).Any())
        {
            c.Error("resource.labelSelector", "field is immutable");
        }
    }

    private static bool SameJson(object? a, object? b) =>
        (a is null && b is null) || (a is not null && b is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b));
}
