using System.Text.Json;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Kaito.Grains.Tests.Machines;

/// <summary>Machine specs stored before NodeSelector, PreferredNodes and WorkspaceNodeCount existed still read.</summary>
public sealed class MachineSpecRecordJsonTests
{
    [Fact]
    public void A_spec_stored_without_the_later_fields_reads_them_as_empty_and_writes_again()
    {
        const string stored = """
            {"instanceType":"Standard_NC6s_v3","labels":{"apps":"phi-3"},"taints":["sku=gpu:NoSchedule"],
             "storageRequest":"50Gi","ownerWorkspace":"default/ws"}
            """;

        var spec = JsonSerializer.Deserialize<MachineSpecRecord>(stored, EventLogJson.Options)!;

        Assert.Empty(spec.NodeSelector);
        Assert.False(spec.PreferredNodes.IsDefault);
        Assert.Empty(spec.PreferredNodes);
        Assert.Equal(0, spec.WorkspaceNodeCount);
        Assert.Contains("\"preferredNodes\":[]", JsonSerializer.Serialize(spec, EventLogJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void The_later_fields_round_trip()
    {
        var spec = TestEvents.MachineSpec() with
        {
            NodeSelector = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("apps", "phi-3"),
            PreferredNodes = ["node-a"],
            WorkspaceNodeCount = 2,
        };

        var back = JsonSerializer.Deserialize<MachineSpecRecord>(JsonSerializer.Serialize(spec, EventLogJson.Options), EventLogJson.Options)!;

        Assert.Equal("phi-3", back.NodeSelector["apps"]);
        Assert.Equal(["node-a"], back.PreferredNodes.ToArray());
        Assert.Equal(2, back.WorkspaceNodeCount);
    }

    [Fact]
    public void The_later_fields_cross_the_orleans_wire()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var spec = TestEvents.MachineSpec() with { PreferredNodes = ["node-a"], WorkspaceNodeCount = 3 };

        var back = serializer.Deserialize<MachineSpecRecord>(serializer.SerializeToArray(spec))!;

        Assert.Equal(["node-a"], back.PreferredNodes.ToArray());
        Assert.Equal(3, back.WorkspaceNodeCount);
        Assert.Equal("default/ws", back.OwnerWorkspace);
    }
}
