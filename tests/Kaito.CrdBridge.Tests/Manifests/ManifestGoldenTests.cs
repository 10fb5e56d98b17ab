using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Manifests;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Tests.Manifests;

/// <summary>
/// Golden files: testassets/&lt;case&gt;/input.yaml (a Workspace, inline or a repository path, plus namespace, uid,
/// revision and worker nodes) -> expected.yaml (every object of the revision, in apply order).
/// To regenerate after an intended change: <c>KAITO_UPDATE_GOLDEN=1 dotnet test tests/Kaito.CrdBridge.Tests --filter
/// ManifestGoldenTests</c>, then review the diff of the expected.yaml files.
/// </summary>
public sealed class ManifestGoldenTests
{
    private static readonly KaitoCatalog Catalog = KaitoCatalog.LoadEmbedded();
    private static readonly string AssetsRoot = RepoPaths.Of("tests", "Kaito.CrdBridge.Tests", "Manifests", "testassets");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(AssetsRoot).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Manifests_match_the_golden_file(string name)
    {
        var intent = ReadIntent(Path.Combine(AssetsRoot, name, "input.yaml"), KubernetesKinds.Deployment);
        var actual = ToYaml(new WorkspaceManifestBuilder(Catalog, new ManifestOptions()).BuildAll(intent));

        var expectedPath = Path.Combine(AssetsRoot, name, "expected.yaml");
        if (Environment.GetEnvironmentVariable("KAITO_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, actual);
        }

        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing: run with KAITO_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    [Fact]
    public void The_quick_starts_and_the_required_shapes_all_have_a_golden_case()
    {
        Assert.Superset(
            new HashSet<string> { "inference-phi-3", "inference-phi-3-adapters", "tuning-phi-3-qlora", "distributed-llama-2-13b-chat", "custom-template", "tuning-volumes", "inference-adapter-sources-and-names" },
            Directory.GetDirectories(AssetsRoot).Select(d => Path.GetFileName(d)).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Building_one_kind_gives_the_same_object_as_building_all(string name)
    {
        var path = Path.Combine(AssetsRoot, name, "input.yaml");
        var builder = new WorkspaceManifestBuilder(Catalog, new ManifestOptions());
        foreach (var built in builder.BuildAll(ReadIntent(path, KubernetesKinds.Deployment)).Where(o => o.Kind != "ConfigMap"))
        {
            var kind = built.Kind == "Service" && built.Metadata.Name.EndsWith("-headless", StringComparison.Ordinal) ? KubernetesKinds.HeadlessService : built.Kind;
            var single = builder.Build(ReadIntent(path, kind));

            Assert.Equal(KubernetesJson.Serialize(built), KubernetesJson.Serialize(single));
        }
    }

    internal static KubernetesObjectIntent ReadIntent(string inputPath, string kind)
    {
        var input = YamlDocumentReader.Read(File.ReadAllText(inputPath))[0]!.AsObject();
        var workspaceNode = input["workspace"] is JsonValue path
            ? YamlDocumentReader.Read(File.ReadAllText(RepoPaths.Of(path.GetValue<string>().Split('/'))))[0]
            : input["workspace"];
        var document = WorkspaceSerializer.ReadNode(workspaceNode);
        var workspace = document.Workspace ?? throw new InvalidOperationException(string.Join("; ", document.Errors));
        workspace.Metadata.NamespaceProperty = input["namespace"]?.GetValue<string>() ?? "default";
        var workerNodes = input["workerNodes"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
        return SpecRecords.Intent(
            workspace, Catalog, kind, input["uid"]!.GetValue<string>(), (int)input["revision"]!.GetValue<long>(), workerNodes);
    }

    internal static string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        string.Join("---\n", objects.Select(o => YamlDocumentWriter.Write(JsonNode.Parse(KubernetesJson.Serialize(o)))));
}
