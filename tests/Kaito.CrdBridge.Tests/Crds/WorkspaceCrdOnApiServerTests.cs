using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Crds;

namespace Kaito.CrdBridge.Tests.Crds;

/// <summary>The generated CRD against a real Kubernetes 1.20 API server: install, quick starts, schema, columns.</summary>
[Collection(KubeCollection.Name)]
public sealed class WorkspaceCrdOnApiServerTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly string _namespace = "crd-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await new CrdInstaller(kube.Client, TimeProvider.System).InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = _namespace } });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Installing_twice_upgrades_in_place_and_stays_established()
    {
        var crd = await new CrdInstaller(kube.Client, TimeProvider.System).InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Equal(["wk", "wks"], crd.Spec.Names.ShortNames);
    }

    [Fact]
    public async Task Installing_the_same_crd_again_writes_nothing_and_a_changed_one_is_replaced()
    {
        var installer = new CrdInstaller(kube.Client, TimeProvider.System);
        var first = await installer.InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        var again = await installer.InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(first.Metadata.ResourceVersion, again.Metadata.ResourceVersion);

        await kube.Client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
            new V1Patch(
                new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [CrdInstaller.SpecHashAnnotation] = "stale" } } }.ToJsonString(),
                V1Patch.PatchType.MergePatch), first.Metadata.Name);
        var upgraded = await installer.InstallAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(first.Metadata.Annotations[CrdInstaller.SpecHashAnnotation], upgraded.Metadata.Annotations[CrdInstaller.SpecHashAnnotation]);
        Assert.Contains(upgraded.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
    }

    [Theory]
    [InlineData("inference-phi-3.yaml")]
    [InlineData("tuning-phi-3.yaml")]
    [InlineData("inference-phi-3-adapters.yaml")]
    public async Task Quick_start_manifests_are_stored_unchanged(string file)
    {
        var workspace = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", file)));

        await Create(JsonNode.Parse(WorkspaceSerializer.ToJson(workspace))!);

        var stored = await Get(workspace.Metadata.Name);
        var sent = WorkspaceSerializer.ToJsonNode(workspace);
        Assert.True(JsonNode.DeepEquals(sent["resource"], stored["resource"]));
        Assert.True(JsonNode.DeepEquals(sent["inference"], stored["inference"]));
        Assert.True(JsonNode.DeepEquals(sent["tuning"], stored["tuning"]));
    }

    [Fact]
    public async Task The_api_server_rejects_wrong_types_naming_the_field()
    {
        var body = Minimal("wrong-types");
        body["resource"]!["count"] = "two";
        body["inference"]!["preset"]!["accessMode"] = "secret";

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => Create(body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, ex.Response.StatusCode);
        Assert.Contains("resource.count", ex.Response.Content, StringComparison.Ordinal);
        Assert.Contains("inference.preset.accessMode", ex.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_columns_read_the_conditions_through_the_status_subresource()
    {
        await Create(Minimal("columns"));
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["workerNodes"] = new JsonArray("node-1"),
                ["conditions"] = new JsonArray(
                    Condition(ConditionTypes.ResourceReady, "True", now),
                    Condition(ConditionTypes.InferenceReady, "False", now),
                    Condition(ConditionTypes.WorkspaceSucceeded, "False", now)),
            },
        };
        await kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), Workspace.KubeGroup, Workspace.KubeVersion, _namespace, Workspace.KubePlural, "columns");

        var table = await GetTable("columns");

        var columns = table["columnDefinitions"]!.AsArray().Select(c => (Name: c!["name"]!.GetValue<string>().ToUpperInvariant(), Priority: c["priority"]?.GetValue<int>() ?? 0)).ToList();
        Assert.Equal(["NAME", "INSTANCE", "RESOURCEREADY", "INFERENCEREADY", "WORKSPACEREADY", "AGE"], columns.Where(c => c.Priority == 0).Select(c => c.Name));
        Assert.Contains(("JOBSTARTED", 1), columns);
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c?.ToString()).ToList();
        Assert.Equal(["columns", "Standard_NC6s_v3", "True", "False"], cells.Take(4));
        Assert.Equal("False", cells[columns.FindIndex(c => c.Name == "WORKSPACEREADY")]);
    }

    [Fact]
    public async Task Short_names_find_workspaces()
    {
        var discovery = await kube.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("workspaces.kaito.sh");

        Assert.Equal(["workspace"], discovery.Spec.Names.Categories);
        Assert.Equal("Namespaced", discovery.Spec.Scope);
    }

    private static JsonObject Condition(string type, string status, string now) => new()
    {
        ["type"] = type, ["status"] = status, ["reason"] = "Test", ["message"] = "set by the test", ["lastTransitionTime"] = now,
    };

    private static JsonObject Minimal(string name) => JsonNode.Parse("""
        {"apiVersion":"kaito.sh/v1alpha1","kind":"Workspace","metadata":{"name":"NAME"},
         "resource":{"instanceType":"Standard_NC6s_v3","labelSelector":{"matchLabels":{"apps":"NAME"}}},
         "inference":{"preset":{"name":"phi-3-mini-4k-instruct"}}}
        """.Replace("NAME", name, StringComparison.Ordinal))!.AsObject();

    private Task Create(JsonNode body) =>
        kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Workspace.KubeGroup, Workspace.KubeVersion, _namespace, Workspace.KubePlural);

    private async Task<JsonNode> Get(string name)
    {
        var obj = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync(Workspace.KubeGroup, Workspace.KubeVersion, _namespace, Workspace.KubePlural, name);
        return JsonNode.Parse(JsonSerializer.Serialize(obj))!;
    }

    private async Task<JsonNode> GetTable(string name)
    {
        var k = (Kubernetes)kube.Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(k.BaseUri, $"apis/{Workspace.KubeApiVersion}/namespaces/{_namespace}/{Workspace.KubePlural}/{name}"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        await k.Credentials!.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await k.HttpClient.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
