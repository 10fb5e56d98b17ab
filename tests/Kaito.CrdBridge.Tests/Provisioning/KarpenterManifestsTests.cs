using System.Text.Json;
using System.Text.Json.Nodes;
using Kaito.CrdBridge.Provisioning;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>The NodeClaim and Machine documents against golden files (set KAITO_UPDATE_GOLDEN=1 to rewrite them).</summary>
public sealed class KarpenterManifestsTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void NodeClaim_is_shaped_like_upstreams_v1_nodeclaim() =>
        AssertGolden("nodeclaim-v1.json", KarpenterManifests.NodeClaim("ws0123abcd", TestSpecs.Machine(), new NodeProvisionerOptions()));

    [Fact]
    public void Machine_is_shaped_like_upstreams_v1alpha5_machine() =>
        AssertGolden("machine-v1alpha5.json", KarpenterManifests.Machine("ws0123abcd", TestSpecs.Machine()));

    [Fact]
    public void NodeClassRef_and_optional_parts_follow_the_options()
    {
        var options = new NodeProvisionerOptions
        {
            NodeClassGroup = "karpenter.k8s.aws", NodeClassKind = "EC2NodeClass", NodeClassName = "gpu", NodeImageFamily = "", SkuNameRequirementKey = "",
        };

        var claim = KarpenterManifests.NodeClaim("ws0123abcd", TestSpecs.Machine(), options);

        Assert.Equal("""{"group":"karpenter.k8s.aws","kind":"EC2NodeClass","name":"gpu"}""", claim["spec"]!["nodeClassRef"]!.ToJsonString());
        Assert.Null(claim["metadata"]!["annotations"]!["kaito.sh/node-image-family"]);
        Assert.DoesNotContain("karpenter.azure.com/sku-name", claim.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sku=gpu:NoSchedule", """{"key":"sku","value":"gpu","effect":"NoSchedule"}""")]
    [InlineData("nvidia.com/gpu:NoExecute", """{"key":"nvidia.com/gpu","effect":"NoExecute"}""")]
    public void Taint_strings_become_taint_objects(string taint, string expected) =>
        Assert.Equal(expected, KarpenterManifests.Taint(taint).ToJsonString());

    private static void AssertGolden(string file, JsonObject actual)
    {
        var path = RepoPaths.Of("tests", "Kaito.CrdBridge.Tests", "Provisioning", "golden", file);
        var text = actual.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("KAITO_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, text);
        }

        Assert.Equal(File.ReadAllText(path), text);
    }
}
