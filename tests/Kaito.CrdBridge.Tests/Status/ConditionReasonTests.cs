using Kaito.CrdBridge.Status;

namespace Kaito.CrdBridge.Tests.Status;

public sealed class ConditionReasonTests
{
    [Theory]
    [InlineData("NodeClaimNotReady", "NodeClaimNotReady")]
    [InlineData("node claim failed", "NodeClaimFailed")]
    [InlineData("gpu-plugin.missing", "GpuPluginMissing")]
    [InlineData("3 nodes short", "Reason3NodesShort")]
    [InlineData("", "Unknown")]
    [InlineData(null, "Unknown")]
    [InlineData("--", "Unknown")]
    [InlineData("Quota:exceeded,", "Quota:exceeded")]
    public void Reasons_become_what_kubernetes_accepts_in_camel_case(string? reason, string expected) =>
        Assert.Equal(expected, ConditionReason.Sanitize(reason));
}
