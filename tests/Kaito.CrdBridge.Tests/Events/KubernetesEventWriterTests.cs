using k8s;
using k8s.Models;
using Kaito.CrdBridge.Events;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Events;

/// <summary>Events on a Workspace against a real API server: named and filled in as client-go does, repeats counted on one Event.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesEventWriterTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly TestNamespace _ns = new(kube.Client, "events");

    public Task InitializeAsync() => _ns.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_event_names_the_workspace_by_uid_and_resourceVersion_from_source_kaito_at_the_decisions_time()
    {
        var ws = await _ns.CreateWorkspaceAsync("described");
        var uid = TestNamespace.Uid(ws);
        var index = new WorkspaceUidIndex();
        index.Set(_ns.Name, "described", uid, TestNamespace.ResourceVersion(ws));

        await new KubernetesEventWriter(kube.Client, index).WriteAsync(Notice($"{_ns.Name}/described/{uid}", "MachineRequested", "Requested machine ws1", T0));

        var e = Assert.Single(await EventsOfAsync("described"));
        Assert.Matches(@"^described\.[0-9a-f]+$", e.Metadata.Name);
        Assert.Equal(("kaito.sh/v1alpha1", "Workspace", "described", uid, TestNamespace.ResourceVersion(ws)),
            (e.InvolvedObject.ApiVersion, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid, e.InvolvedObject.ResourceVersion));
        Assert.Equal(("Normal", "MachineRequested", "Requested machine ws1", "kaito", 1), (e.Type, e.Reason, e.Message, e.Source.Component, e.Count));
        Assert.Equal((T0.UtcDateTime, T0.UtcDateTime), (e.FirstTimestamp, e.LastTimestamp));
    }

    [Fact]
    public async Task The_same_event_again_raises_the_count_and_lastTimestamp_of_the_one_event_instead_of_adding_one()
    {
        var key = await KeyAsync("repeat");
        var writer = new KubernetesEventWriter(kube.Client);

        await writer.WriteAsync(Notice(key, "MachineProblem", "QuotaExceeded", T0, KubernetesEventType.Warning));
        await writer.WriteAsync(Notice(key, "MachineProblem", "QuotaExceeded", T0.AddSeconds(40), KubernetesEventType.Warning));
        await writer.WriteAsync(Notice(key, "MachineProblem", "AllocationFailed", T0.AddSeconds(50), KubernetesEventType.Warning));
        await writer.WriteAsync(Notice(key, "MachineProblem", "QuotaExceeded", T0.AddSeconds(60), KubernetesEventType.Warning));

        var events = (await EventsOfAsync("repeat")).OrderBy(e => e.FirstTimestamp).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(("QuotaExceeded", 3, T0.UtcDateTime, T0.AddSeconds(60).UtcDateTime),
            (events[0].Message, events[0].Count, events[0].FirstTimestamp, events[0].LastTimestamp));
        Assert.Equal(("AllocationFailed", 1), (events[1].Message, events[1].Count));
    }

    [Fact]
    public async Task A_repeated_event_that_expired_from_the_cluster_is_written_again_with_its_count()
    {
        var key = await KeyAsync("expired");
        var writer = new KubernetesEventWriter(kube.Client);
        var first = (await writer.WriteAsync(Notice(key, "Deleting", "Deleting", T0)))!;
        await DeleteEventAsync(first.Metadata.Name);

        await writer.WriteAsync(Notice(key, "Deleting", "Deleting", T0.AddSeconds(5)));

        var again = Assert.Single(await EventsOfAsync("expired"));
        Assert.Equal((first.Metadata.Name, 2), (again.Metadata.Name, again.Count));
    }

    [Fact]
    public async Task Notices_of_one_decision_share_its_time_but_get_distinct_names()
    {
        var key = await KeyAsync("same-time");
        var writer = new KubernetesEventWriter(kube.Client);

        await writer.WriteAsync(Notice(key, "RevisionAccepted", "Accepted revision 1", T0));
        await writer.WriteAsync(Notice(key, "InstanceTypeSelected", "Instance type Standard_NC6s_v3 for 1 node(s)", T0));

        Assert.Equal(["RevisionAccepted", "InstanceTypeSelected"], (await EventsOfAsync("same-time")).OrderBy(e => e.Metadata.Name, StringComparer.Ordinal).Select(e => e.Reason));
    }

    [Fact]
    public async Task A_key_without_a_uid_names_no_object_and_writes_nothing()
    {
        Assert.Null(await new KubernetesEventWriter(kube.Client).WriteAsync(Notice($"{_ns.Name}/offline", "RevisionAccepted", "x", T0)));
        Assert.Empty(await EventsOfAsync("offline"));
    }

    [Fact]
    public async Task The_recorder_writes_queued_notices_in_the_background_and_drops_one_that_fails()
    {
        var key = await KeyAsync("queued");
        using var recorder = new KubernetesEventRecorder(new KubernetesEventWriter(kube.Client), NullLogger<KubernetesEventRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);

        await recorder.RecordAsync(
        [
            Notice($"no-such-namespace-{Guid.NewGuid():N}/ws/uid-1", "RevisionAccepted", "refused: no namespace", T0),
            Notice(key, "RevisionAccepted", "Accepted revision 1", T0),
            Notice(key, "WorkspaceReady", "Every replica is ready", T0.AddSeconds(1)),
        ]);

        var events = await Eventually.ReturnsAsync(() => EventsOfAsync("queued"), e => e.Count == 2, TimeSpan.FromSeconds(15), "both events written");
        Assert.Equal(["RevisionAccepted", "WorkspaceReady"], events.OrderBy(e => e.Metadata.Name, StringComparer.Ordinal).Select(e => e.Reason));
        await recorder.StopAsync(CancellationToken.None);
    }

    private async Task<string> KeyAsync(string name) => $"{_ns.Name}/{name}/{TestNamespace.Uid(await _ns.CreateWorkspaceAsync(name))}";

    private static WorkspaceEventNotice Notice(string key, string reason, string message, DateTimeOffset at, KubernetesEventType type = KubernetesEventType.Normal) =>
        new(key, type, reason, message, at);

    private async Task<IReadOnlyList<Corev1Event>> EventsOfAsync(string workspace) =>
        [.. (await kube.Client.CoreV1.ListNamespacedEventAsync(_ns.Name, fieldSelector: $"involvedObject.name={workspace}")).Items];

    private async Task DeleteEventAsync(string name)
    {
        using var generic = new GenericClient(kube.Client, "", "v1", "events", disposeClient: false);
        await generic.DeleteNamespacedAsync<V1Status>(_ns.Name, name);
    }
}
