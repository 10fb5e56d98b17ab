using System.Diagnostics;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>What must hold across restarts, races and damage: each test runs its own cluster (fixed ServiceId, own tables).</summary>
public sealed class DurabilityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:added");

    private static EventLogTable<WorkspaceState, WorkspaceEvent> WorkspaceLog(KaitoTestCluster kaito, int snapshotEvery = 100) =>
        new(kaito.Tables.GetTableClient(kaito.TablePrefix + "WorkspaceEvents"), WorkspaceAggregate.Instance, snapshotEvery, NullLogger.Instance);

    [Fact]
    public async Task History_and_state_survive_a_silo_restart()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/survivor");
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", "survivor"), Watch));
        var before = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.Ready, Deadline, "ready");
        await grain.AddNotes(["before restart"], new CommandSource(Actors.Api("bob"), "api:note"));
        var historyBefore = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory("default/survivor");

        await kaito.RestartAsync();
        var after = await kaito.Client.GetGrain<IWorkspaceGrain>("default/survivor").GetState();
        var historyAfter = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory("default/survivor");

        Assert.Equal(WorkspacePhase.Ready, after.Phase);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.RevisionHash, after.RevisionHash);
        Assert.Equal(before.WorkerNodes, after.WorkerNodes);
        Assert.Equal(historyBefore, historyAfter);
        Assert.Equal("api:bob", historyAfter[^1].Actor);
    }

    [Fact]
    public async Task Unsettled_workspace_resumes_by_reminder_after_a_restart_with_no_outside_call()
    {
        await using var kaito = await KaitoTestCluster.StartAsync(azureReminders: true);
        kaito.Nodes.RegistersAtOnce = _ => false;
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/resumer");
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", "resumer"), Watch));
        var waiting = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.ProvisioningNodes, Deadline, "provisioning");
        var machineId = waiting.Machines[0].MachineId;
        await Eventually.TrueAsync(() => kaito.Nodes.CallsFor("create", machineId) == 1, Deadline, "machine created");

        await kaito.RestartAsync();
        // The node comes up while nothing is active; only the reminders can notice.
        kaito.Nodes.Nodes[machineId] = new NodeObservation("aks-resumer-0", true, 1);
        var published = await Eventually.ReturnsAsync(
            () => Task.FromResult(kaito.Publisher.Published.LastOrDefault(v => v.Key == "default/resumer")),
            v => v?.Phase == WorkspacePhase.Ready,
            TimeSpan.FromSeconds(60),
            "the workspace publishes Ready after the restart");

        Assert.Equal(["aks-resumer-0"], published!.WorkerNodes);
        var history = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetMachineHistory(machineId);
        Assert.Contains(history, h => h.EventType == "machine.nodeRegistered" && h.Actor == Actors.Reconciler && h.Cause is "reminder" or "timer");
    }

    [Fact]
    public async Task Unsettled_machine_of_a_workspace_holds_no_reminder_of_its_own_while_its_workspace_does()
    {
        await using var kaito = await KaitoTestCluster.StartAsync(azureReminders: true);
        kaito.Nodes.RegistersAtOnce = _ => false;
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/reminded");
        await grain.ApplySpec(new WorkspaceSubmission(Manifests.Inference("default", "reminded"), Watch));
        var waiting = await Eventually.ReturnsAsync(grain.GetState, v => v.Phase == WorkspacePhase.ProvisioningNodes, Deadline, "provisioning");
        var machineId = waiting.Machines[0].MachineId;
        await Eventually.TrueAsync(() => kaito.Nodes.CallsFor("create", machineId) == 1, Deadline, "machine created");

        // Each reminder row, all its columns in one line (the grain id is in the keys and a column).
        var rows = new List<string>();
        await foreach (var row in kaito.Tables.GetTableClient(kaito.TablePrefix + "Reminders").QueryAsync<TableEntity>())
        {
            rows.Add(string.Join(" ", row.Select(kv => $"{kv.Key}={kv.Value}")));
        }

        Assert.Single(rows, r => r.Contains("default/reminded", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains(machineId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_behind_the_grains_back_is_detected_and_no_event_is_lost_or_doubled()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/contended");
        var api = new CommandSource(Actors.Api("carol"), "api:note");
        await grain.AddNotes(["grain-1"], api);

        // A second writer (another silo that believes it owns the aggregate) appends behind the active grain.
        var other = WorkspaceLog(kaito);
        var read = await other.ReadAsync("default/contended");
        Assert.NotNull(await other.AppendAsync("default/contended", [new WorkspaceNoteRecorded(Context(actor: "other-silo"), "other-1")], read.Version, read.HeadETag, read.State));

        await grain.AddNotes(["grain-2", "grain-3"], api);

        var history = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory("default/contended");
        Assert.Equal(["grain-1", "other-1", "grain-2", "grain-3"], history.Select(h => h.Summary));
        Assert.Equal([1, 2, 3, 4], history.Select(h => h.Version));
        Assert.Equal(4, (await grain.GetState()).Version);
    }

    [Fact]
    public async Task Two_activations_in_two_clusters_writing_at_once_lose_no_event_and_double_none()
    {
        await using var left = await KaitoTestCluster.StartAsync();
        await using var right = await KaitoTestCluster.StartAsync(tablePrefix: left.TablePrefix);
        var api = new CommandSource(Actors.Api("erin"), "api:note");

        async Task WriteAsync(KaitoTestCluster kaito, string writer)
        {
            var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/twins");
            for (var i = 0; i < 15; i++)
            {
                await grain.AddNotes([$"{writer}-{i}a", $"{writer}-{i}b"], api);
            }
        }

        await Task.WhenAll(WriteAsync(left, "left"), WriteAsync(right, "right"));

        var history = await left.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory("default/twins");
        Assert.Equal(Enumerable.Range(1, 60), history.Select(h => h.Version));
        Assert.Equal(60, history.Select(h => h.Summary).Distinct().Count());
        foreach (var writer in new[] { "left", "right" })
        {
            // Each writer's pairs stay whole and in order: an append is atomic.
            var mine = history.Where(h => h.Summary.StartsWith(writer, StringComparison.Ordinal)).Select(h => h.Summary).ToList();
            Assert.Equal(Enumerable.Range(0, 15).SelectMany(i => new[] { $"{writer}-{i}a", $"{writer}-{i}b" }), mine);
        }

        await left.Cluster.DeactivateAsync(left.Client.GetGrain<IWorkspaceGrain>("default/twins"));
        Assert.Equal(60, (await left.Client.GetGrain<IWorkspaceGrain>("default/twins").GetState()).Version);
    }

    [Fact]
    public async Task Ten_thousand_event_workspace_activates_from_its_snapshot()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var log = WorkspaceLog(kaito);
        var events = new List<WorkspaceEvent> { new WorkspaceRequested(Context(), Spec()) };
        events.AddRange(Enumerable.Range(1, 9_999).Select(i => new WorkspaceNoteRecorded(Context(i, actor: "seed"), $"note {i}")));
        var state = new WorkspaceState();
        var etag = default(Azure.ETag);
        for (var v = 0; v < events.Count; v += 990)
        {
            var batch = events.Skip(v).Take(990).ToList();
            etag = (await log.AppendAsync("default/long", batch, v, etag, state))!.Value;
            batch.ForEach(state.Apply);
        }

        var table = kaito.SiloService<EventLogTable<WorkspaceState, WorkspaceEvent>>();
        var rowsBefore = table.EventRowsReplayed;
        var stopwatch = Stopwatch.StartNew();
        var view = await kaito.Client.GetGrain<IWorkspaceGrain>("default/long").GetState();
        stopwatch.Stop();

        Assert.Equal(10_000, view.Version);
        Assert.InRange(table.EventRowsReplayed - rowsBefore, 0, 100);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"activation took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Corrupt_or_unknown_event_row_fails_activation_promptly_naming_aggregate_and_version()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/damaged");
        await grain.AddNotes(["one", "two", "three"], new CommandSource(Actors.Api("dave"), "api:note"));
        await kaito.Cluster.DeactivateAsync(grain);
        var table = kaito.Tables.GetTableClient(kaito.TablePrefix + "WorkspaceEvents");
        await table.UpdateEntityAsync(
            new TableEntity(PartitionKeyEncoding.Encode("default/damaged"), EventRowCodec<WorkspaceEvent>.RowKeyOf(2)) { ["Type"] = "workspace.fromTheFuture" },
            Azure.ETag.All, TableUpdateMode.Merge);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => grain.GetState());
            stopwatch.Stop();

            var message = ex.ToString();
            Assert.Contains("default/damaged", message);
            Assert.Contains("version 2", message);
            Assert.Contains("workspace.fromTheFuture", message);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"the failure took {stopwatch.ElapsedMilliseconds} ms");
        }

        // Repairing the row is enough: the grain was never wedged.
        await table.UpdateEntityAsync(
            new TableEntity(PartitionKeyEncoding.Encode("default/damaged"), EventRowCodec<WorkspaceEvent>.RowKeyOf(2)) { ["Type"] = "workspace.noteRecorded" },
            Azure.ETag.All, TableUpdateMode.Merge);
        Assert.Equal(3, (await grain.GetState()).Version);
    }

    [Fact]
    public async Task Damage_found_while_a_write_races_fails_that_write_promptly_instead_of_wedging()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var grain = kaito.Client.GetGrain<IWorkspaceGrain>("default/raced");
        var api = new CommandSource(Actors.Api("frank"), "api:note");
        await grain.AddNotes(["one", "two", "three"], api);

        // Another writer appends behind the active grain (so its next write loses the race and must re-read), and
        // row 2 is damaged (so that re-read fails).
        var other = WorkspaceLog(kaito);
        var read = await other.ReadAsync("default/raced");
        Assert.NotNull(await other.AppendAsync("default/raced", [new WorkspaceNoteRecorded(Context(actor: "other-silo"), "other")], read.Version, read.HeadETag, read.State));
        var table = kaito.Tables.GetTableClient(kaito.TablePrefix + "WorkspaceEvents");
        await table.UpdateEntityAsync(
            new TableEntity(PartitionKeyEncoding.Encode("default/raced"), EventRowCodec<WorkspaceEvent>.RowKeyOf(2)) { ["Type"] = "workspace.fromTheFuture" },
            Azure.ETag.All, TableUpdateMode.Merge);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => grain.AddNotes(["four"], api));
        stopwatch.Stop();

        Assert.Contains("default/raced", ex.ToString());
        Assert.Contains("version 2", ex.ToString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"the failure took {stopwatch.ElapsedMilliseconds} ms");

        // The failed write stored nothing, and the grain is not wedged: the next call reports the damage at once.
        var history = await kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory("default/raced");
        Assert.Equal([1, 2, 3, 4], history.Select(h => h.Version));
        var again = Stopwatch.StartNew();
        Assert.Contains("version 2", (await Assert.ThrowsAnyAsync<Exception>(() => grain.GetState())).ToString());
        Assert.True(again.Elapsed < TimeSpan.FromSeconds(10), $"the next call took {again.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Machine_history_and_phase_survive_a_restart()
    {
        await using var kaito = await KaitoTestCluster.StartAsync();
        var machine = kaito.Client.GetGrain<IMachineGrain>("ws0123456ab");
        await machine.Request(MachineSpec("default/owner"), Watch);
        var ready = await Eventually.ReturnsAsync(machine.GetState, m => m.Phase == MachinePhase.Ready, Deadline, "machine ready");

        await kaito.RestartAsync();
        var after = await kaito.Client.GetGrain<IMachineGrain>("ws0123456ab").GetState();

        Assert.Equal(ready.Version, after.Version);
        Assert.Equal(MachinePhase.Ready, after.Phase);
        Assert.Equal(ready.NodeName, after.NodeName);
    }
}
