using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Api.Serialization;
using Kaito.CrdBridge.Manifests;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Tests.Manifests;

public sealed class NodePlacementTests
{
    private static readonly KaitoCatalog Catalog = KaitoCatalog.LoadEmbedded();

    [Fact]
    public void A_single_value_in_expression_places_pods_as_the_same_match_label_does()
    {
        var byLabel = AffinityOf(ws => { });
        var byExpression = AffinityOf(ws =>
        {
            ws.Resource!.LabelSelector = new V1LabelSelector
            {
                MatchExpressions = [new V1LabelSelectorRequirement { Key = "apps", OperatorProperty = "In", Values = ["phi-3"] }],
            };
        });

        Assert.Contains("\"key\":\"apps\"", byLabel, StringComparison.Ordinal);
        Assert.Equal(byLabel, byExpression);
    }

    private static string AffinityOf(Action<Api.V1Alpha1.Workspace> change)
    {
        var workspace = WorkspaceSerializer.Read(File.ReadAllText(RepoPaths.Of("examples", "inference-phi-3.yaml")));
        workspace.Metadata.NamespaceProperty = "default";
        change(workspace);
        var intent = SpecRecords.Intent(workspace, Catalog, KubernetesKinds.Deployment, "0d7b5d1e-9a8c-4f0e-8e55-0c1f4b2d9a01", 1, "node-a");
        var deployment = (V1Deployment)new WorkspaceManifestBuilder(Catalog, new ManifestOptions()).Build(intent);
        return KubernetesJson.Serialize(deployment.Spec.Template.Spec.Affinity.NodeAffinity);
    }
}
