using k8s.Models;

namespace Kaito.Api.Validation;

/// <summary>
/// The node labels a label selector stands for, as upstream reads it (metav1.LabelSelectorAsMap): matchLabels plus
/// each "In" expression with exactly one value. Null when the selector uses anything else.
/// </summary>
public static class LabelSelectorLabels
{
    public static IReadOnlyDictionary<string, string>? Of(V1LabelSelector? selector)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (selector is null)
        {
            return labels;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value ?? "";
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            if (e.OperatorProperty != "In" || e.Values is not { Count: 1 } values)
            {
                return null;
            }

            labels[e.Key ?? ""] = values[0] ?? "";
        }

        return labels;
    }
}
