using Kaito.CrdBridge.Watching;
using Kaito.Grains.Machines;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>A machine skips reading its node when the node watch's cause says the event carried it: the strings must agree.</summary>
public sealed class NodeWatchCausesTests
{
    public static TheoryData<ResourceEventType, string, bool> Events => new()
    {
        { ResourceEventType.Added, NodeWatchCauses.Added, true },
        { ResourceEventType.Modified, NodeWatchCauses.Modified, true },
        { ResourceEventType.Resync, NodeWatchCauses.Resync, true },
        { ResourceEventType.Deleted, NodeWatchCauses.Deleted, false },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Both_node_watches_give_the_causes_the_machine_knows(ResourceEventType type, string expected, bool sawNode)
    {
        foreach (var resource in new[] { WatchedResource.Nodes(), WatchedResource.ClaimedNodes() })
        {
            var cause = WorkloadWatcher.Cause(resource, type);
            Assert.Equal(expected, cause);
            Assert.Equal(sawNode, NodeWatchCauses.SawNode(cause));
        }
    }

    [Fact]
    public void No_other_watch_says_it_saw_a_node()
    {
        foreach (var resource in new[] { WatchedResource.NodeClaims(), WatchedResource.Pods(null), WatchedResource.Deployments(null) })
        {
            Assert.False(NodeWatchCauses.SawNode(WorkloadWatcher.Cause(resource, ResourceEventType.Modified)));
        }
    }
}
