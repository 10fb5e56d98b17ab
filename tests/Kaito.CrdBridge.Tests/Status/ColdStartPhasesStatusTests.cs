using System.Text.Json.Nodes;
using Kaito.CrdBridge.Status;
using Kaito.CrdBridge.Tests.Watching;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kaito.CrdBridge.Tests.Status;

/// <summary>status.phases: written by the publisher, accepted by the CRD schema, and read back value for value.</summary>
[Collection(KubeCollection.Name)]
public sealed class ColdStartPhasesStatusTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly TestNamespace _ns = new(kube.Client, "phases");

    public Task InitializeAsync() => _ns.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly ColdStartPhaseView[] Running =
    [
        new("Nodes", T0.AddSeconds(1), T0.AddSeconds(251.5)),
        new("WorkloadScheduled", T0.AddSeconds(252), null),
        new("Ready", T0, null),
    ];

    [Fact]
    public void Phases_are_written_in_order_with_millisecond_times_and_a_duration_once_finished()
    {
        var status = WorkspaceStatusBuilder.Build(View("ns/ws/uid", Running), null, T0);

        Assert.Equal(
            """[{"name":"Nodes","startedAt":"2026-11-28T10:00:01.000Z","finishedAt":"2026-11-28T10:04:11.500Z","durationSeconds":250.5},""" +
            """{"name":"WorkloadScheduled","startedAt":"2026-11-28T10:04:12.000Z"},{"name":"Ready","startedAt":"2026-11-28T10:00:00.000Z"}]""",
            status["phases"]!.ToJsonString());
        Assert.Null(WorkspaceStatusBuilder.Build(View("ns/ws/uid", []), null, T0)["phases"]);
    }

    [Fact]
    public async Task The_api_server_keeps_the_phases_as_written_so_publishing_them_again_writes_nothing()
    {
        var ws = await _ns.CreateWorkspaceAsync("cold");
        var view = View($"{_ns.Name}/cold/{TestNamespace.Uid(ws)}",
            [.. Running[..1], new("WorkloadScheduled", T0.AddSeconds(252), T0.AddMilliseconds(256_123)), new("Ready", T0, T0.AddSeconds(900))]);

        await Publisher().PublishAsync(view);
        var stored = await _ns.GetWorkspaceAsync("cold");
        await Publisher().PublishAsync(view);

        var phases = stored["status"]!["phases"]!.AsArray();
        Assert.Equal(["Nodes", "WorkloadScheduled", "Ready"], phases.Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal([250.5, 4.123, 900], phases.Select(p => p!["durationSeconds"]!.GetValue<double>()));
        Assert.Equal(TestNamespace.ResourceVersion(stored), TestNamespace.ResourceVersion(await _ns.GetWorkspaceAsync("cold")));
    }

    private KubernetesStatusPublisher Publisher() =>
        new(kube.Client, new FakeTimeProvider(T0), TestBridge.Options(_ns.Name), NullLogger<KubernetesStatusPublisher>.Instance);

    private static WorkspaceView View(string key, IReadOnlyList<ColdStartPhaseView> phases) => new(
        Key: key, Version: 3, Phase: WorkspacePhase.DeployingWorkload, Generation: 1, Revision: 1, RevisionHash: null, Mode: null,
        InstanceType: "Standard_NC6s_v3", TargetNodeCount: 1, WorkerNodes: ["node-1"], Machines: [],
        Conditions: [new WorkspaceConditionView("ResourceReady", "True", "NodesReady", "1 node(s) ready")],
        FailureReason: null, FailureMessage: null, RejectionMessage: null, UpdatedAt: null, ColdStart: phases);
}
