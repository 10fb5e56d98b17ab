namespace Kaito.NodeSimulator.Claims;

/// <summary>Why a claim's launch fails: parsed from <c>"&lt;reason&gt;: &lt;message&gt;"</c>.</summary>
internal sealed record LaunchFailure(string Reason, string Message)
{
    public const string DefaultReason = "LaunchFailed";

    public static LaunchFailure Parse(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var reason = colon > 0 ? text[..colon].Trim() : "";
        return reason.Length > 0 && !reason.Contains(' ', StringComparison.Ordinal)
            ? new LaunchFailure(reason, text[(colon + 2)..].Trim())
            : new LaunchFailure(DefaultReason, text.Trim());
    }

    /// <summary>The annotation on the claim wins over the instance types the options fail.</summary>
    public static LaunchFailure? For(ClaimObject claim, IReadOnlyDictionary<string, string> failingInstanceTypes)
    {
        if (claim.Metadata.Annotations?.TryGetValue(SimulatorAnnotations.Fail, out var annotated) == true)
        {
            return Parse(annotated);
        }

        var instanceType = claim.InstanceType;
        if (instanceType is null)
        {
            return new LaunchFailure(DefaultReason, $"no {SimulatorLabels.InstanceType} requirement with operator In");
        }

        return failingInstanceTypes.TryGetValue(instanceType, out var configured) ? Parse(configured) : null;
    }
}
