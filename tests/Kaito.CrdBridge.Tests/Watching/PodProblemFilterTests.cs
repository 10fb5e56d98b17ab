using System.Text.Json.Nodes;
using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Which pod events poke the Workspace: problems appearing and clearing, and the first sight of a scheduled pod.</summary>
public sealed class PodProblemFilterTests
{
    private const string Pending = """{"metadata":{"uid":"u1"},"status":{"phase":"Pending"}}""";
    private const string Scheduled = """{"metadata":{"uid":"u1"},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}]}}""";
    private const string Running = """{"metadata":{"uid":"u1"},"status":{"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}}""";

    [Fact]
    public void A_pod_pokes_once_when_first_seen_scheduled_and_not_again_while_it_runs()
    {
        var filter = new PodProblemFilter();

        Assert.Equal([false, true, false, false],
            new[] { Pending, Scheduled, Running, Running }.Select(p => filter.IsWorthAPoke(Modified(p))));
    }

    [Fact]
    public void A_deleted_pod_is_forgotten_so_a_pod_listed_again_after_it_pokes_when_scheduled()
    {
        var filter = new PodProblemFilter();
        filter.IsWorthAPoke(Modified(Scheduled));

        Assert.False(filter.IsWorthAPoke(new ResourceEvent(ResourceEventType.Deleted, JsonNode.Parse(Scheduled)!.AsObject())));
        Assert.True(filter.IsWorthAPoke(Modified(Scheduled)));
    }

    private static ResourceEvent Modified(string pod) => new(ResourceEventType.Modified, JsonNode.Parse(pod)!.AsObject());
}
