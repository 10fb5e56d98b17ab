using System.Text.Json.Nodes;
using Kaito.Api.Serialization;

namespace Kaito.Api.Tests.Serialization;

public sealed class RoundTripTests
{
    private const string Full = """
        apiVersion: kaito.sh/v1alpha1
        kind: Workspace
        metadata:
          name: full
          namespace: team-a
          labels: {owner: platform}
          annotations: {kaito.sh/enablelb: "True"}
        resource:
          count: 2
          instanceType: Standard_NC12s_v3
          labelSelector:
            matchLabels: {apps: full}
            matchExpressions:
              - {key: zone, operator: In, values: ["1", "2"]}
          preferredNodes: [node-a, node-b]
        inference:
          config: inference-params
          template:
            metadata:
              labels: {app: custom}
            spec:
              nodeSelector: {accelerator: nvidia}
              containers:
                - name: model
                  image: myregistry.azurecr.io/model:1.2
                  args: ["--port", "5000"]
                  ports: [{containerPort: 5000, protocol: TCP}]
                  resources:
                    limits: {nvidia.com/gpu: 2, memory: 64Gi}
                  readinessProbe:
                    httpGet: {path: /healthz, port: 5000}
                    initialDelaySeconds: 30
                  env:
                    - {name: STRENGTH, value: "0.5"}
              volumes:
                - name: dshm
                  emptyDir: {medium: Memory}
          adapters:
            - source:
                name: adapter-a
                image: myregistry.azurecr.io/adapters/a:0.0.1
                imagePullSecrets: [pull-secret]
              strength: "0.25"
        status:
          workerNodes: [node-a]
          conditions:
            - type: ResourceReady
              status: "True"
              reason: NodesReady
              message: all nodes ready
              lastTransitionTime: "2026-11-28T10:00:00Z"
              observedGeneration: 3
        """;

    [Fact]
    public void Yaml_to_workspace_to_json_keeps_every_field()
    {
        var source = YamlDocumentReader.Read(Full).Single();

        var json = WorkspaceSerializer.ToJsonNode(WorkspaceSerializer.Read(Full));

        Assert.True(JsonNode.DeepEquals(Normalize(source), Normalize(json)), $"expected\n{source}\nactual\n{json}");
    }

    [Fact]
    public void Yaml_written_reads_back_identical()
    {
        var first = WorkspaceSerializer.Read(Full);

        var again = WorkspaceSerializer.Read(WorkspaceSerializer.ToYaml(first));

        Assert.Equal(WorkspaceSerializer.ToJson(first), WorkspaceSerializer.ToJson(again));
    }

    [Fact]
    public void Json_reads_and_writes_back_identical()
    {
        var json = WorkspaceSerializer.ToJson(WorkspaceSerializer.Read(Full));

        Assert.Equal(json, WorkspaceSerializer.ToJson(WorkspaceSerializer.Read(json)));
    }

    [Fact]
    public void Strings_that_look_like_numbers_stay_strings()
    {
        var yaml = WorkspaceSerializer.ToYaml(WorkspaceSerializer.Read(Full));

        Assert.Contains("strength: \"0.25\"", yaml, StringComparison.Ordinal);
        Assert.Equal("0.25", WorkspaceSerializer.Read(yaml).Inference!.Adapters![0].Strength);
    }

    [Fact]
    public void Several_problems_in_one_document_are_all_reported()
    {
        var doc = Assert.Single(WorkspaceSerializer.ReadAll("""
            apiVersion: kaito.sh/v1alpha1
            kind: Workspace
            metadata: {name: x}
            resource: {count: two, instanceTyp: a, labelSelector: {matchLabels: [a]}}
            inference: {preset: {name: 7}}
            """));

        Assert.Null(doc.Workspace);
        Assert.Equal(
            ["inference.preset.name: expected a string, got a number (quote the value in YAML)", "resource.count: expected an integer, got a string",
             "resource.instanceTyp: unknown field \"instanceTyp\"", "resource.labelSelector.matchLabels: expected an object, got a list"],
            doc.Errors.Select(e => e.ToString()).Order());
    }

    [Fact]
    public void Bad_quantities_and_times_name_their_field()
    {
        var doc = Assert.Single(WorkspaceSerializer.ReadAll("""
            apiVersion: kaito.sh/v1alpha1
            kind: Workspace
            metadata: {name: x, creationTimestamp: yesterday}
            resource: {labelSelector: {}}
            inference:
              template:
                spec:
                  containers: [{name: m, image: a/b:1, resources: {limits: {memory: 64 gigs}}}]
            """));

        Assert.Equal(
            ["inference.template.spec.containers[0].resources.limits.memory: \"64 gigs\" is not a Kubernetes quantity (e.g. 16Gi, 500m)",
             "metadata.creationTimestamp: \"yesterday\" is not an RFC 3339 time (e.g. 2026-11-28T10:00:00Z)"],
            doc.Errors.Select(e => e.ToString()).Order());
    }

    [Fact]
    public void Wrong_api_version_or_kind_is_named()
    {
        var doc = Assert.Single(WorkspaceSerializer.ReadAll("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"));

        Assert.Contains(doc.Errors, e => e.Field == "apiVersion");
        Assert.Contains(doc.Errors, e => e.Field == "kind");
    }

    [Fact]
    public void Broken_yaml_names_the_line()
    {
        var doc = Assert.Single(WorkspaceSerializer.ReadAll("apiVersion: kaito.sh/v1alpha1\nkind: [Workspace\n"));

        Assert.StartsWith("line ", doc.Errors[0].Field, StringComparison.Ordinal);
    }

    // Kubernetes writes quantities and int-or-strings in one canonical form; compare after the same normalisation.
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        JsonValue v => JsonValue.Create(v.ToString()),
        _ => null,
    };
}
