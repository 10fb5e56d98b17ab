namespace Kaito.NodeSimulator.Claims;

/// <summary>A Karpenter node request API the simulator serves: NodeClaim (v1) or the seed-era Machine (v1alpha5).</summary>
internal sealed record ClaimKind(string Group, string Version, string Plural, string Kind)
{
    public static ClaimKind NodeClaim { get; } = new("karpenter.sh", "v1", "nodeclaims", "NodeClaim");

    public static ClaimKind Machine { get; } = new("karpenter.sh", "v1alpha5", "machines", "Machine");

    public string ApiVersion => Group + "/" + Version;

    public string Resource => Plural + "." + Group + "/" + Version;
}
