using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.Api.Validation;

namespace Kaito.Grains.Workspaces;

/// <summary>Turns an accepted Workspace into the spec record events carry, with upstream's revision hash.</summary>
public static class WorkspaceSpecFactory
{
    public static WorkspaceSpecRecord Create(Workspace workspace, SpecDecision decision)
    {
        var specJson = CanonicalSpecJson(workspace);
        return new WorkspaceSpecRecord(
            specJson,
            Hash(specJson),
            workspace.Tuning is not null ? WorkspaceMode.Tuning : WorkspaceMode.Inference,
            workspace.Resource?.EffectiveCount ?? 1,
            decision.InstanceType ?? "",
            (LabelSelectorLabels.Of(workspace.Resource?.LabelSelector) ?? new Dictionary<string, string>()).ToImmutableDictionary(),
            [.. workspace.Resource?.PreferredNodes ?? []],
            workspace.Inference?.Preset?.Name ?? workspace.Tuning?.Preset?.Name,
            decision.StorageRequest,
            decision.Distributed);
    }

    /// <summary>The JSON of resource, inference and tuning: what upstream hashes into the revision.</summary>
    public static string CanonicalSpecJson(Workspace workspace) =>
        KubernetesJson.Serialize(new { resource = workspace.Resource, inference = workspace.Inference, tuning = workspace.Tuning });

    /// <summary>The accepted spec back as a Workspace, for the update rules.</summary>
    public static Workspace ToWorkspace(WorkspaceSpecRecord spec, string workspaceNamespace, string workspaceName)
    {
        var workspace = KubernetesJson.Deserialize<Workspace>(spec.SpecJson);
        workspace.Metadata = new k8s.Models.V1ObjectMeta { Name = workspaceName, NamespaceProperty = workspaceNamespace };
        return workspace;
    }

    public static string Hash(string specJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specJson)));
}
