using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Crds;

namespace Kaito.CrdBridge.Tests;

/// <summary>A fresh namespace with the Workspace CRD installed, and helpers to write Workspaces in it.</summary>
public sealed class TestNamespace(IKubernetes client, string prefix)
{
    public string Name { get; } = prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public IKubernetes Client => client;

    public async Task CreateAsync()
    {
        await new CrdInstaller(client, TimeProvider.System).InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Name } });
    }

    public static JsonObject Workspace(string name, params string[] finalizers)
    {
        var body = JsonNode.Parse("""
            {"apiVersion":"kaito.sh/v1alpha1","kind":"Workspace","metadata":{"name":"NAME"},
             "resource":{"instanceType":"Standard_NC6s_v3","labelSelector":{"matchLabels":{"apps":"NAME"}}},
             "inference":{"preset":{"name":"phi-3-mini-4k-instruct"}}}
            """.Replace("NAME", name, StringComparison.Ordinal))!.AsObject();
        if (finalizers.Length > 0)
        {
            body["metadata"]!["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        }

        return body;
    }

    /// <summary>Creates a Workspace; returns it as stored (with uid and resourceVersion).</summary>
    public async Task<JsonObject> CreateWorkspaceAsync(string name, params string[] finalizers) =>
        ToJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Workspace(name, finalizers),
            Api.V1Alpha1.Workspace.KubeGroup, Api.V1Alpha1.Workspace.KubeVersion, Name, Api.V1Alpha1.Workspace.KubePlural));

    public async Task<JsonObject> GetWorkspaceAsync(string name) =>
        ToJson(await client.CustomObjects.GetNamespacedCustomObjectAsync(Api.V1Alpha1.Workspace.KubeGroup,
            Api.V1Alpha1.Workspace.KubeVersion, Name, Api.V1Alpha1.Workspace.KubePlural, name));

    public async Task<JsonObject> PatchWorkspaceAsync(string name, string mergePatch, bool status = false)
    {
        var patch = new V1Patch(mergePatch, V1Patch.PatchType.MergePatch);
        var result = status
            ? await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Api.V1Alpha1.Workspace.KubeGroup,
                Api.V1Alpha1.Workspace.KubeVersion, Name, Api.V1Alpha1.Workspace.KubePlural, name)
            : await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Api.V1Alpha1.Workspace.KubeGroup,
                Api.V1Alpha1.Workspace.KubeVersion, Name, Api.V1Alpha1.Workspace.KubePlural, name);
        return ToJson(result);
    }

    public async Task DeleteWorkspaceAsync(string name)
    {
        using var generic = new GenericClient(client, Api.V1Alpha1.Workspace.KubeGroup, Api.V1Alpha1.Workspace.KubeVersion,
            Api.V1Alpha1.Workspace.KubePlural, disposeClient: false);
        await generic.DeleteNamespacedAsync<V1Status>(Name, name);
    }

    public static string Uid(JsonObject obj) => obj["metadata"]!["uid"]!.GetValue<string>();

    public static string ResourceVersion(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static JsonObject ToJson(object obj) => JsonSerializer.SerializeToNode(obj)!.AsObject();
}
