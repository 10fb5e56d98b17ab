using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.V1Alpha1;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// The floor: the API requests that the control-plane issue requires of any implementation for one inference
/// workspace, sent directly with KubernetesClient and nothing else (no silo, no event log, no watches, no node claim):
/// the user's Workspace create, the finalizer (deletion must never stick), the ControllerRevision, Service and
/// Deployment applied server-side with a field manager and owned by the Workspace, and one status write through the
/// <c>/status</c> subresource. No implementation can spend less on the API server, so floor/baseline bounds what
/// kaito/baseline can reach on this machine.
/// </summary>
internal static class FloorLoad
{
    /// <summary>Not the product's finalizer: the bench removes it itself before deleting the namespace.</summary>
    public const string Finalizer = "bench.kaito.sh/floor";

    private const string FieldManager = "kaito-bench-floor";

    public static async Task RunAsync(IKubernetes client, KaitoCatalog catalog, string ns, string name, string node)
    {
        await BenchWorkspaces.CreateAsync(client, ns, name);
        var finalized = AsJson(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray(Finalizer) } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural, name));
        var uid = finalized["metadata"]!["uid"]!.GetValue<string>();
        foreach (var obj in BaselineLoad.Objects(catalog, ns, name, node))
        {
            obj.Metadata.OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = Workspace.KubeApiVersion, Kind = Workspace.KubeKind, Name = name, Uid = uid,
                    BlockOwnerDeletion = true, Controller = true,
                },
            ];
            var (group, version, plural) = obj switch
            {
                V1ControllerRevision => ("apps", "v1", "controllerrevisions"),
                V1Service => ("", "v1", "services"),
                V1Deployment => ("apps", "v1", "deployments"),
                _ => throw new InvalidOperationException($"unexpected {obj.Kind} in the floor"),
            };
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(obj, V1Patch.PatchType.ApplyPatch),
                group, version, ns, plural, obj.Metadata.Name, fieldManager: FieldManager, force: true);
        }

        finalized["status"] = Status(finalized["metadata"]!["generation"]!.GetValue<long>());
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(finalized,
            Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural, name);
    }

    /// <summary>Takes the floor's finalizer off every Workspace in <paramref name="ns"/>, so the namespace can go.</summary>
    public static async Task ReleaseAsync(IKubernetes client, string ns)
    {
        foreach (var workspace in await BenchWorkspaces.ListAsync(client, ns))
        {
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
                Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural, workspace.Metadata.Name);
        }
    }

    private static JsonObject AsJson(object answer) =>
        System.Text.Json.JsonSerializer.SerializeToNode(answer) as JsonObject
        ?? throw new InvalidOperationException("the finalizer patch answered no object");

    /// <summary>What kaito writes first: the resource and inference conditions pending, as upstream's first status.</summary>
    private static JsonObject Status(long generation)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "Unknown",
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition(ConditionTypes.ResourceReady, "ProvisioningNodes", "Waiting for 1 GPU node"),
                Condition(ConditionTypes.InferenceReady, "WorkloadPending", "Waiting for the inference workload"),
                Condition(ConditionTypes.WorkspaceSucceeded, "Pending", "Waiting for resources and inference")),
        };
    }
}
