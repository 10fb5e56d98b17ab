namespace Kaito.CrdBridge.Provisioning;

/// <summary>A cluster-scoped Karpenter node request resource and the condition that says whether it launched.</summary>
public sealed record KarpenterResource(string Group, string Version, string Plural, string Kind, string LaunchedCondition)
{
    public static KarpenterResource NodeClaim { get; } = new("karpenter.sh", "v1", "nodeclaims", "NodeClaim", "Launched");

    public static KarpenterResource Machine { get; } = new("karpenter.sh", "v1alpha5", "machines", "Machine", "MachineLaunched");

    public string ApiVersion => $"{Group}/{Version}";

    /// <summary>The CRD's name, e.g. <c>nodeclaims.karpenter.sh</c>.</summary>
    public string CrdName => $"{Plural}.{Group}";
}
