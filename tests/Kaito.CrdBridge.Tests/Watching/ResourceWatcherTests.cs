using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>The generic list/watch loop against a real API server: 410 re-list, reconnects, bad objects, missing CRDs.</summary>
[Collection(KubeCollection.Name)]
public sealed class ResourceWatcherTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _ns = new(kube.Client, "watch");
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync() => _ns.CreateAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_expired_watch_relists_resyncing_survivors_and_deleting_what_vanished()
    {
        var a = await _ns.CreateWorkspaceAsync("a");
        var b = await _ns.CreateWorkspaceAsync("b");
        var faults = new WatchFaultHandler();
        faults.ArmExpiredWatch();
        var (watcher, events) = Start(faults);
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        await faults.Held.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([(ResourceEventType.Resync, "a"), (ResourceEventType.Resync, "b")], events.Events.Select(e => (e.Type, e.Name)).Order());

        // Changes the held watch never sees: only the re-list after 410 can report them.
        await _ns.DeleteWorkspaceAsync("b");
        var c = await _ns.CreateWorkspaceAsync("c");
        faults.Release();

        await events.WaitForAsync(ResourceEventType.Deleted, "b", TestNamespace.Uid(b));
        await events.WaitForAsync(ResourceEventType.Resync, "c", TestNamespace.Uid(c));
        Assert.Equal(2, events.Events.Count(e => e.Type == ResourceEventType.Resync && e.Uid == TestNamespace.Uid(a)));
        Assert.Equal(2, faults.Lists);
        Assert.DoesNotContain(events.Events, e => e.Type == ResourceEventType.Added);
    }

    [Fact]
    public async Task A_closed_watch_reconnects_from_its_resource_version_without_relisting()
    {
        var faults = new WatchFaultHandler();
        var (watcher, events) = Start(faults, o => o.WatchTimeout = TimeSpan.FromSeconds(1));
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        await Until(() => faults.Watches >= 3, "three watches");

        var late = await _ns.CreateWorkspaceAsync("late");

        await events.WaitForAsync(ResourceEventType.Added, "late", TestNamespace.Uid(late));
        Assert.Equal(1, faults.Lists);
    }

    [Fact]
    public async Task An_object_whose_handler_throws_does_not_stop_the_watch()
    {
        var (watcher, events) = Start(new WatchFaultHandler());
        events.Poison.Add("poison");
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(20));

        await _ns.CreateWorkspaceAsync("poison");
        var good = await _ns.CreateWorkspaceAsync("good");

        await events.WaitForAsync(ResourceEventType.Added, "good", TestNamespace.Uid(good));
        Assert.Contains(events.Events, e => e is { Type: ResourceEventType.Added, Name: "poison" });
    }

    [Fact]
    public async Task A_resource_that_is_not_served_yet_is_watched_once_its_crd_appears()
    {
        var group = _ns.Name + ".test.kaito.sh";
        var resource = new WatchedResource(group, "v1", "widgets", "widget");
        var faults = new WatchFaultHandler();
        var client = TestBridge.Client(kube, faults);
        var watcher = TestBridge.Watchers(client, TestBridge.Options(null)).Create(resource);
        var events = new RecordingEventHandler();
        _running = watcher.RunAsync(events, _stop.Token);
        await Until(() => faults.Lists >= 2, "two failed lists");
        Assert.False(watcher.Synced.IsCompleted);

        var crd = await kube.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(WidgetCrd(group));
        try
        {
            await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(30));
            await kube.Client.CustomObjects.CreateClusterCustomObjectAsync(
                new JsonObject { ["apiVersion"] = group + "/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w1" } }, group, "v1", "widgets");

            await events.WaitForAsync(ResourceEventType.Added, "w1");
        }
        finally
        {
            await kube.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(crd.Metadata.Name);
        }
    }

    private (ResourceWatcher Watcher, RecordingEventHandler Events) Start(WatchFaultHandler faults, Action<Kaito.CrdBridge.Hosting.CrdBridgeOptions>? tweak = null)
    {
        var client = TestBridge.Client(kube, faults);
        var watcher = TestBridge.Watchers(client, TestBridge.Options(_ns.Name, tweak)).Create(WatchedResource.Workspaces(_ns.Name));
        var events = new RecordingEventHandler();
        _running = watcher.RunAsync(events, _stop.Token);
        return (watcher, events);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static V1CustomResourceDefinition WidgetCrd(string group) => new()
    {
        Metadata = new V1ObjectMeta { Name = "widgets." + group },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = "Cluster",
            Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget" },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1", Served = true, Storage = true,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };
}
