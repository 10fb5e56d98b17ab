namespace Kaito.Grains.Workspaces;

/// <summary>The verdict on a spec: errors (field: message), warnings, and the catalog's answers when it is valid.</summary>
/// <param name="InstanceType">The SKU to provision: the spec's own, or the one chosen when it omits it.</param>
/// <param name="StorageRequest">OS disk per node from the preset, e.g. <c>50Gi</c>.</param>
/// <param name="Distributed">The preset spans several nodes (StatefulSet + headless Service).</param>
/// <param name="InstanceTypeReason">Why that SKU, when the user did not name it; null when the user did.</param>
public sealed record SpecDecision(
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    string? InstanceType,
    string StorageRequest,
    bool Distributed,
    string? InstanceTypeReason = null)
{
    public bool IsValid => Errors.Count == 0;
}
