using System.Collections.Immutable;
using Kaito.Grains.Machines;

namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>Machine specs as WorkspaceResources.MachineSpec builds them.</summary>
internal static class TestSpecs
{
    public static MachineSpecRecord Machine(string selectorValue = "phi-3", string instanceType = "Standard_NC6s_v3",
        ImmutableArray<string> preferred = default, int nodeCount = 1)
    {
        var selector = ImmutableDictionary<string, string>.Empty.Add("apps", selectorValue);
        var labels = selector
            .Add("kaito.sh/workspace", "phi")
            .Add("kaito.sh/workspacenamespace", "team-a")
            .Add("karpenter.sh/nodepool", "kaito");
        return new MachineSpecRecord(instanceType, labels, ["sku=gpu:NoSchedule"], "50Gi", "team-a/phi/0b7c3f0e-uid",
            selector, preferred, nodeCount);
    }
}
