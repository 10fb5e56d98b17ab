using k8s;
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

        if (!SameJson(old.Resource?.LabelSelector, updated.Resource?.LabelSelector))
        {
            c.Error("resource.labelSelector", "field is immutable");
        }

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
        }
    }

    private static bool SameJson(object? a, object? b) =>
        (a is null && b is null) || (a is not null && b is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b));
}
