using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Kaito.Grains.Workspaces;

/// <summary>
/// An accepted Workspace spec as events carry it: the canonical JSON of resource+inference+tuning plus the decisions
/// taken from it, so that the state machine never needs the catalog or the validator to replay.
/// </summary>
/// <param name="SpecJson">Canonical JSON of <c>{resource, inference, tuning}</c>.</param>
/// <param name="RevisionHash">Lower-case hex sha256 of <paramref name="SpecJson"/> (upstream's revision hash).</param>
/// <param name="InstanceType">The SKU: the user's, or the one chosen from the catalog.</param>
/// <param name="NodeLabels">labelSelector.matchLabels; provisioned nodes carry them.</param>
/// <param name="StorageRequest">OS disk per node, from the preset (e.g. <c>50Gi</c>).</param>
/// <param name="Distributed">Multi-node preset: StatefulSet plus headless Service instead of a Deployment.</param>
[GenerateSerializer, Immutable, Alias("workspace.spec")]
public sealed record WorkspaceSpecRecord(
    string SpecJson,
    string RevisionHash,
    WorkspaceMode Mode,
    int NodeCount,
    string InstanceType,
    ImmutableDictionary<string, string> NodeLabels,
    ImmutableArray<string> PreferredNodes,
    string? PresetName,
    string StorageRequest,
    bool Distributed)
{
    /// <summary>Upstream's ControllerRevision name suffix: the first five hex digits of the hash.</summary>
    [JsonIgnore]
    public string ShortHash => RevisionHash.Length >= 5 ? RevisionHash[..5] : RevisionHash;
}
