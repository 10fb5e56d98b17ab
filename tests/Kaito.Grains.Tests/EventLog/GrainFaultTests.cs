using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.EventLog;

/// <summary>
/// Workspace grains whose Table client breaks chosen requests to a real Azurite (SDK retries off, so every fault
/// reaches the event log and the log-consistency provider): the command succeeds, and every event is stored once.
/// Also: a 200 KB pod template is stored and replayed; a 2 MiB one is refused and the grain keeps serving.
/// </summary>
public sealed class GrainFaultTests : IAsyncLifetime
{
    private static readonly CommandSource Api = new(Actors.Api("grace"), "api:note");
    private static readonly CommandSource Watch = new(Actors.KubernetesWatch, "watch:added");

    private KaitoTestCluster _kaito = null!;
    private FaultInjectionPolicy _faults = null!;

    public async Task InitializeAsync()
    {
        var connection = await AzuriteStorage.GetConnectionStringAsync();
        var prefix = AzuriteStorage.NewTablePrefix();
        _faults = new FaultInjectionPolicy { TableName = prefix + "WorkspaceEvents" };
        _kaito = await KaitoTestCluster.StartAsync(
            configure: o => o.TableServiceClient = FaultInjectionPolicy.Client(connection, _faults, sdkRetries: 0),
            tablePrefix: prefix);
    }

    public async Task DisposeAsync() => await _kaito.DisposeAsync();

    private IWorkspaceGrain Grain(string name) => _kaito.Client.GetGrain<IWorkspaceGrain>($"default/{name}");

    private async Task<List<string>> StoredAsync(string name)
    {
        var history = await _kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory($"default/{name}");
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Version));
        return [.. history.Select(h => h.Summary)];
    }

    [Theory]
    [InlineData(StorageFault.CommitThen503, false)]
    [InlineData(StorageFault.CommitThenDroppedConnection, false)]
    [InlineData(StorageFault.CommitThenDroppedConnection, true)]
    [InlineData(StorageFault.TimeoutBeforeSend, false)]
    public async Task Command_whose_append_meets_a_fault_stores_its_events_exactly_once(StorageFault fault, bool readBackFails)
    {
        var name = $"fault-{fault}-{readBackFails}".ToLowerInvariant();
        var grain = Grain(name);
        await grain.AddNotes(["one"], Api);

        _faults.FailNextBatch(fault);
        if (readBackFails)
        {
            // The outcome is unknown to the writer: the provider re-reads, and the head shows the append committed.
            _faults.FailNextHeadRead(StorageFault.CommitThenDroppedConnection);
        }

        await grain.AddNotes(["two", "three"], Api);
        await grain.AddNotes(["four"], Api);

        Assert.True(_faults.AllFaultsUsed);
        Assert.Equal(["one", "two", "three", "four"], await StoredAsync(name));
        Assert.Equal(4, (await grain.GetState()).Version);
        await _kaito.Cluster.DeactivateAsync(grain);
        Assert.Equal(4, (await grain.GetState()).Version);
    }

    [Fact]
    public async Task Workspace_with_a_200_KB_pod_template_is_stored_over_several_columns_and_replayed()
    {
        var name = "big-template";
        var grain = Grain(name);

        var result = await grain.ApplySpec(new WorkspaceSubmission(TemplateWorkspace(name, 200 * 1024), Watch));

        Assert.Equal(SpecApplyOutcome.Accepted, result.Outcome);
        var table = _kaito.Tables.GetTableClient(_kaito.TablePrefix + "WorkspaceEvents");
        var row = (await table.GetEntityAsync<TableEntity>(PartitionKeyEncoding.Encode($"default/{name}"), EventRowCodec<WorkspaceEvent>.RowKeyOf(1))).Value;
        Assert.Equal("workspace.requested", row.GetString("Type"));
        Assert.NotNull(row.GetString("Data6"));

        await _kaito.Cluster.DeactivateAsync(grain);
        var replayed = await _kaito.SiloService<EventLogTable<WorkspaceState, WorkspaceEvent>>().ReadAsync($"default/{name}");
        Assert.Contains(new string('x', 200 * 1024), replayed.State.Spec!.SpecJson, StringComparison.Ordinal);
        var view = await grain.GetState();
        Assert.True(view.Version >= 1);
        Assert.Equal(replayed.State.Spec.RevisionHash, view.RevisionHash);
    }

    [Fact]
    public async Task Workspace_with_a_2_MiB_pod_template_is_refused_with_its_size_and_the_grain_keeps_serving()
    {
        var name = "huge-template";
        var grain = Grain(name);

        var ex = await Assert.ThrowsAsync<EventTooLargeException>(() => grain.ApplySpec(new WorkspaceSubmission(TemplateWorkspace(name, 2 * 1024 * 1024), Watch)));

        Assert.Equal("workspace.requested", ex.EventType);
        Assert.Contains("workspace.requested", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MiB", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Characters > ex.Limit);
        Assert.Empty(await StoredAsync(name));
        Assert.Equal(0, (await grain.GetState()).Version);

        // Still serving: a smaller document goes through on the same activation.
        Assert.Equal(SpecApplyOutcome.Accepted, (await grain.ApplySpec(new WorkspaceSubmission(TemplateWorkspace(name, 1024), Watch))).Outcome);
        Assert.Equal("workspace.requested", (await _kaito.Client.GetGrain<IWorkspaceAuditGrain>(0).GetWorkspaceHistory($"default/{name}"))[0].EventType);
    }

    private static string TemplateWorkspace(string name, int payload) => $$"""
        {
          "apiVersion": "kaito.sh/v1alpha1",
          "kind": "Workspace",
          "metadata": { "name": "{{name}}", "namespace": "default", "generation": 1 },
          "resource": {
            "count": 1,
            "instanceType": "Standard_NC6s_v3",
            "labelSelector": { "matchLabels": { "apps": "{{name}}" } }
          },
          "inference": {
            "template": {
              "spec": {
                "containers": [
                  { "name": "server", "image": "mcr.microsoft.com/oss/nginx/nginx:1.25", "env": [ { "name": "PAYLOAD", "value": "{{new string('x', payload)}}" } ] }
                ]
              }
            }
          }
        }
        """;
}
