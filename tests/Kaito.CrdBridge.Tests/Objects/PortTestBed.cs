using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Crds;
using Kaito.CrdBridge.Manifests;
using Kaito.CrdBridge.Objects;
using Kaito.CrdBridge.Tests.Manifests;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>A fresh namespace with the Workspace CRD installed, Workspace objects made from YAML, and the port under test.</summary>
public sealed class PortTestBed(KubeApiServerFixture kube, string prefix)
{
    public static readonly KaitoCatalog Catalog = KaitoCatalog.LoadEmbedded();

    public string Namespace { get; } = prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public IKubernetes Client => kube.Client;

    public KubernetesObjectPort Port { get; } = new(
        kube.Client, new WorkspaceManifestBuilder(Catalog, new ManifestOptions()), NullLogger<KubernetesObjectPort>.Instance);

    public async Task InitializeAsync()
    {
        await new CrdInstaller(kube.Client, TimeProvider.System).InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
    }

    /// <summary>Creates the Workspace of an example (renamed) and returns it with the UID the API server gave it.</summary>
    public async Task<Workspace> CreateWorkspaceAsync(string example, string name, Action<Workspace>? change = null)
    {
        var workspace = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", example)));
        workspace.Metadata.Name = name;
        workspace.Metadata.NamespaceProperty = Namespace;
        change?.Invoke(workspace);
        var created = await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse(WorkspaceSerializer.ToJson(workspace))!, Workspace.KubeGroup, Workspace.KubeVersion, Namespace, Workspace.KubePlural);
        workspace.Metadata.Uid = JsonSerializer.SerializeToNode(created)!["metadata"]!["uid"]!.GetValue<string>();
        return workspace;
    }

    public static KubernetesObjectIntent Intent(Workspace workspace, string kind, int revision = 1) =>
        SpecRecords.Intent(workspace, Catalog, kind, workspace.Metadata.Uid, revision, "node-a");

    public static KubernetesObjectReference Ref(Workspace workspace, string kind) =>
        new(kind, workspace.Metadata.NamespaceProperty, workspace.Metadata.Name);

    public async Task<IList<string>> FinalizersAsync(string name)
    {
        var obj = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync(Workspace.KubeGroup, Workspace.KubeVersion, Namespace, Workspace.KubePlural, name);
        return JsonSerializer.SerializeToNode(obj)!["metadata"]!["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()).ToList() ?? [];
    }
}
