using k8s;
using k8s.Models;
using Kaito.Api.V1Alpha1;

namespace Kaito.ControlPlane.Bench;

/// <summary>The quick start examples/inference-phi-3.yaml, renamed per workspace, each selecting only its own node
/// (<c>bench=&lt;name&gt;</c>).</summary>
internal static class BenchWorkspaces
{
    public const string InstanceType = "Standard_NC6s_v3";
    public const string Preset = "phi-3-mini-4k-instruct";
    public const string NodeLabel = "bench";


    public static string Name(int i) => $"ws-{i:D4}";

    public static string Node(int i) => $"gpu-{i:D4}";

    public static object Document(string ns, string name) => new
    {
        apiVersion = Workspace.KubeApiVersion,
        kind = Workspace.KubeKind,
        metadata = new { name, @namespace = ns },
        resource = new { instanceType = InstanceType, labelSelector = new { matchLabels = new Dictionary<string, string> { [NodeLabel] = name } } },
        inference = new { preset = new { name = Preset } },
    };

    public static async Task<IReadOnlyList<Workspace>> ListAsync(IKubernetes client, string ns) =>
        (await client.CustomObjects.ListNamespacedCustomObjectAsync<WorkspaceList>(
            Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural)).Items;

    public static bool IsReady(Workspace workspace) =>
        workspace.Status?.Conditions?.Any(c => c.Type == ConditionTypes.WorkspaceSucceeded && c.Status == "True") == true;

    public static Task CreateAsync(IKubernetes client, string ns, string name) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(Document(ns, name), Workspace.KubeGroup, Workspace.KubeVersion, ns, Workspace.KubePlural);

    public static Workspace Typed(string ns, string name)
    {
        var workspace = KubernetesJson.Deserialize<Workspace>(KubernetesJson.Serialize(Document(ns, name)));
        workspace.Metadata ??= new V1ObjectMeta { Name = name, NamespaceProperty = ns };
        return workspace;
    }

    private sealed class WorkspaceList
    {
        public List<Workspace> Items { get; set; } = [];
    }
}
