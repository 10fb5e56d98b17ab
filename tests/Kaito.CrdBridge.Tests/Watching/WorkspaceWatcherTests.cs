using System.Text.Json.Nodes;
using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Workspace objects on a real API server reach the sink as ApplySpec / RequestDeletion with the right key.</summary>
[Collection(KubeCollection.Name)]
public sealed class WorkspaceWatcherTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private const string Finalizer = "workspace.finalizer.kaito.sh";
    private readonly TestNamespace _ns = new(kube.Client, "wswatch");
    private readonly RecordingWatchSink _sink = new();
    private readonly WorkspaceUidIndex _index = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await _ns.CreateAsync();
        var options = TestBridge.Options(_ns.Name);
        var watcher = new WorkspaceWatcher(TestBridge.Watchers(kube.Client, options), _sink, _index, options, NullLogger<WorkspaceWatcher>.Instance);
        _running = watcher.RunAsync(_stop.Token);
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_created_workspace_is_applied_as_its_full_json_under_namespace_name_uid()
    {
        var created = await _ns.CreateWorkspaceAsync("phi");
        var key = $"{_ns.Name}/phi/{TestNamespace.Uid(created)}";

        var call = await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "ApplySpec of phi");

        Assert.Equal("watch:added", call.Cause);
        var json = JsonNode.Parse(call.Json!)!;
        Assert.Equal("kaito.sh/v1alpha1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal("Workspace", json["kind"]!.GetValue<string>());
        Assert.Equal(1, json["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("phi-3-mini-4k-instruct", json["inference"]!["preset"]!["name"]!.GetValue<string>());
        Assert.Null(json["metadata"]!["managedFields"]);
        Assert.Equal(TestNamespace.Uid(created), _index.Find(_ns.Name, "phi"));
        Assert.Contains(new Kaito.Grains.Workspaces.WorkspaceKey(_ns.Name, "phi", TestNamespace.Uid(created)), _index.All());
    }

    [Fact]
    public async Task A_grain_slow_to_answer_holds_up_neither_the_watch_nor_other_workspaces_but_its_own_events_wait_in_order()
    {
        _sink.BlockName = "slow";
        var slow = await _ns.CreateWorkspaceAsync("slow");
        var slowKey = $"{_ns.Name}/slow/{TestNamespace.Uid(slow)}";
        await _sink.WaitForAsync(c => c.Key == slowKey, "ApplySpec of slow");
        await _ns.PatchWorkspaceAsync("slow", """{"resource":{"preferredNodes":["node-a"]}}""");

        var fast = await _ns.CreateWorkspaceAsync("fast");
        await _sink.WaitForAsync(c => c.Key == $"{_ns.Name}/fast/{TestNamespace.Uid(fast)}", "ApplySpec of fast while slow is held");
        Assert.Single(_sink.Calls, c => c.Key == slowKey);

        _sink.Unblock();
        await _sink.WaitForAsync(c => c.Key == slowKey && Generation(c) == 2, "ApplySpec of slow's generation 2");
        Assert.Equal([1, 2], _sink.Calls.Where(c => c.Key == slowKey).Select(Generation));
    }

    [Fact]
    public async Task A_spec_whose_hand_on_failed_is_handed_on_again_without_a_further_event()
    {
        _sink.FailName = "lost";
        _sink.FailTimes = 2;
        var created = await _ns.CreateWorkspaceAsync("lost");
        var key = $"{_ns.Name}/lost/{TestNamespace.Uid(created)}";

        await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key && _sink.Calls.Count(x => x.Key == key) >= 3,
            "ApplySpec of lost a third time, after two failures");

        Assert.Equal(0, _sink.FailTimes);
        Assert.All(_sink.Calls.Where(c => c.Key == key), c => Assert.Equal("watch:added", c.Cause));
    }

    [Fact]
    public async Task A_spec_change_is_applied_again_but_a_status_write_is_not()
    {
        var created = await _ns.CreateWorkspaceAsync("upd");
        var key = $"{_ns.Name}/upd/{TestNamespace.Uid(created)}";
        await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "first ApplySpec");

        await _ns.PatchWorkspaceAsync("upd", """{"resource":{"preferredNodes":["node-a"]}}""");
        await _ns.PatchWorkspaceAsync("upd", """{"status":{"workerNodes":["node-a"]}}""", status: true);
        await _ns.PatchWorkspaceAsync("upd", """{"resource":{"preferredNodes":["node-b"]}}""");

        await _sink.WaitForAsync(c => c.Key == key && Generation(c) == 3, "ApplySpec of generation 3");
        Assert.Equal([1, 2, 3], _sink.Calls.Where(c => c.Key == key).Select(Generation));
    }

    [Fact]
    public async Task Deleting_a_workspace_held_by_the_finalizer_requests_deletion_of_that_uid()
    {
        var created = await _ns.CreateWorkspaceAsync("del", Finalizer);
        var key = $"{_ns.Name}/del/{TestNamespace.Uid(created)}";
        await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "ApplySpec");

        await _ns.DeleteWorkspaceAsync("del");

        var call = await _sink.WaitForAsync(c => c.Method == "RequestDeletionAsync", "RequestDeletion");
        Assert.Equal(key, call.Key);
        Assert.Equal("watch:modified", call.Cause);

        await _ns.PatchWorkspaceAsync("del", """{"metadata":{"finalizers":null}}""");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_index.Find(_ns.Name, "del") is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the index still holds the deleted Workspace");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_workspace_deleted_without_the_finalizer_still_requests_deletion_so_nothing_it_owns_is_left()
    {
        var created = await _ns.CreateWorkspaceAsync("gone");
        var key = $"{_ns.Name}/gone/{TestNamespace.Uid(created)}";
        await _sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "ApplySpec");

        await _ns.DeleteWorkspaceAsync("gone");

        var call = await _sink.WaitForAsync(c => c.Method == "RequestDeletionAsync" && c.Key == key, "RequestDeletion");
        Assert.Equal("watch:deleted", call.Cause);
    }

    private static long Generation(SinkCall call) => JsonNode.Parse(call.Json!)!["metadata"]!["generation"]!.GetValue<long>();
}
