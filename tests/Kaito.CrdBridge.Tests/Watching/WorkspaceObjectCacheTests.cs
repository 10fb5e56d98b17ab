using System.Text.Json.Nodes;
using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Tests.Watching;

public sealed class WorkspaceObjectCacheTests
{
    [Fact]
    public void A_newer_resource_version_replaces_the_kept_copy_and_an_older_one_does_not()
    {
        var cache = new WorkspaceObjectCache();
        cache.Offer(Workspace("uid-1", "20"));
        cache.Offer(Workspace("uid-1", "9"));
        Assert.Equal("20", Version(cache.Find("ns", "ws")));

        cache.Offer(Workspace("uid-1", "21"));
        Assert.Equal("21", Version(cache.Find("ns", "ws")));
    }

    [Fact]
    public void Another_uid_under_the_same_name_replaces_the_kept_copy_whatever_its_version()
    {
        var cache = new WorkspaceObjectCache();
        cache.Offer(Workspace("uid-1", "50"));
        cache.Offer(Workspace("uid-2", "3"));

        Assert.Equal("uid-2", cache.Find("ns", "ws")!["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public void Find_gives_a_copy_that_the_caller_may_change()
    {
        var cache = new WorkspaceObjectCache();
        cache.Offer(Workspace("uid-1", "5"));

        cache.Find("ns", "ws")!["status"] = new JsonObject { ["changed"] = true };

        Assert.Null(cache.Find("ns", "ws")!["status"]);
        cache.Remove("ns", "ws");
        Assert.Null(cache.Find("ns", "ws"));
    }

    private static JsonObject Workspace(string uid, string resourceVersion) => new()
    {
        ["metadata"] = new JsonObject { ["namespace"] = "ns", ["name"] = "ws", ["uid"] = uid, ["resourceVersion"] = resourceVersion },
    };

    private static string? Version(JsonObject? obj) => obj?["metadata"]?["resourceVersion"]?.GetValue<string>();
}
