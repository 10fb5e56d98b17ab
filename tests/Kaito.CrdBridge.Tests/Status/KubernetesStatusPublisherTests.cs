using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using Kaito.Api.V1Alpha1;
using Kaito.CrdBridge.Status;
using Kaito.CrdBridge.Tests.Watching;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kaito.CrdBridge.Tests.Status;

/// <summary>The status publisher against a real API server: /status only, no idle writes, kept transition times, 409s, UIDs.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesStatusPublisherTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly TestNamespace _ns = new(kube.Client, "status");
    private readonly FakeTimeProvider _clock = new(T0);

    public Task InitializeAsync() => _ns.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Conditions_and_worker_nodes_are_written_through_status_and_read_by_the_kubectl_columns()
    {
        var ws = await _ns.CreateWorkspaceAsync("cols");

        await Publisher(kube.Client).PublishAsync(View(ws, ("ResourceReady", "True", "node claim ready"), ("InferenceReady", "False", "Pending"), ("WorkspaceSucceeded", "False", "")));

        var stored = await _ns.GetWorkspaceAsync("cols");
        Assert.Equal(1, stored["metadata"]!["generation"]!.GetValue<long>());
        var status = stored["status"]!;
        Assert.Equal(["node-1"], status["workerNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        var ready = status["conditions"]![0]!;
        Assert.Equal("ResourceReady", ready["type"]!.GetValue<string>());
        Assert.Equal("NodeClaimReady", ready["reason"]!.GetValue<string>());
        Assert.Equal("message about ResourceReady", ready["message"]!.GetValue<string>());
        Assert.Equal(1, ready["observedGeneration"]!.GetValue<long>());
        Assert.Equal("2026-11-28T10:00:00Z", ready["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal("Unknown", status["conditions"]![2]!["reason"]!.GetValue<string>());
        var row = await TableRow("cols");
        Assert.Equal("Standard_NC6s_v3", row["INSTANCE"]);
        Assert.Equal("True", row["RESOURCEREADY"]);
        Assert.Equal("False", row["INFERENCEREADY"]);
        Assert.Equal("False", row["WORKSPACEREADY"]);
    }

    [Fact]
    public async Task An_empty_condition_message_is_written_as_the_reason_which_the_api_server_accepts()
    {
        var ws = await _ns.CreateWorkspaceAsync("empty");
        var view = View(ws, ("WorkspaceSucceeded", "False", "Pending"));
        view = view with { Conditions = [view.Conditions[0] with { Message = "" }] };

        await Publisher(kube.Client).PublishAsync(view);

        var stored = await _ns.GetWorkspaceAsync("empty");
        Assert.Equal("Pending", stored["status"]!["conditions"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publishing_the_same_view_again_writes_nothing()
    {
        var ws = await _ns.CreateWorkspaceAsync("same");
        var view = View(ws, ("ResourceReady", "True", "Ready"));
        var publisher = Publisher(kube.Client);
        await publisher.PublishAsync(view);
        var written = TestNamespace.ResourceVersion(await _ns.GetWorkspaceAsync("same"));

        _clock.Advance(TimeSpan.FromMinutes(5));
        await publisher.PublishAsync(view);

        Assert.Equal(written, TestNamespace.ResourceVersion(await _ns.GetWorkspaceAsync("same")));
    }

    [Fact]
    public async Task Last_transition_time_is_kept_while_the_status_stays_and_moves_when_it_changes()
    {
        var ws = await _ns.CreateWorkspaceAsync("ltt");
        var publisher = Publisher(kube.Client);
        await publisher.PublishAsync(View(ws, ("InferenceReady", "False", "Pending")));

        _clock.Advance(TimeSpan.FromMinutes(1));
        await publisher.PublishAsync(View(ws, ("InferenceReady", "False", "ImagePulling")));
        var same = Condition(await _ns.GetWorkspaceAsync("ltt"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await publisher.PublishAsync(View(ws, ("InferenceReady", "True", "Ready")));
        var moved = Condition(await _ns.GetWorkspaceAsync("ltt"));

        Assert.Equal(("ImagePulling", "2026-11-28T10:00:00Z"), same);
        Assert.Equal(("Ready", "2026-11-28T10:02:00Z"), moved);
    }

    [Fact]
    public async Task A_conflicting_write_is_retried_on_a_fresh_read_and_keeps_the_other_change()
    {
        var ws = await _ns.CreateWorkspaceAsync("race");
        var conflict = new ConflictOnceHandler(() => _ns.PatchWorkspaceAsync("race", """{"metadata":{"labels":{"touched":"yes"}}}"""));
        using var client = TestBridge.Client(kube, conflict);

        await Publisher(client).PublishAsync(View(ws, ("ResourceReady", "True", "Ready")));

        var stored = await _ns.GetWorkspaceAsync("race");
        Assert.Equal(2, conflict.StatusWrites);
        Assert.Equal("yes", stored["metadata"]!["labels"]!["touched"]!.GetValue<string>());
        Assert.Equal("True", stored["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_the_watched_object_at_hand_a_status_write_is_one_request_and_the_answer_is_kept()
    {
        var ws = await _ns.CreateWorkspaceAsync("cached");
        var objects = new WorkspaceObjectCache();
        objects.Offer(ws);
        var counting = new RequestCountingHandler();
        using var client = TestBridge.Client(kube, counting);

        await Publisher(client, objects).PublishAsync(View(ws, ("ResourceReady", "True", "Ready")));
        await Publisher(client, objects).PublishAsync(View(ws, ("ResourceReady", "False", "Pending")));

        Assert.Equal(2, counting.Requests.Count);
        Assert.All(counting.Requests, r => Assert.StartsWith("PUT ", r, StringComparison.Ordinal));
        var stored = await _ns.GetWorkspaceAsync("cached");
        Assert.Equal("False", stored["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(TestNamespace.ResourceVersion(stored), TestNamespace.ResourceVersion(objects.Find(_ns.Name, "cached")!));
    }

    [Fact]
    public async Task A_stale_watched_copy_costs_a_conflict_and_a_fresh_read_never_the_other_change()
    {
        var ws = await _ns.CreateWorkspaceAsync("stale");
        var objects = new WorkspaceObjectCache();
        objects.Offer(ws);
        await _ns.PatchWorkspaceAsync("stale", """{"metadata":{"labels":{"touched":"yes"}}}""");

        await Publisher(kube.Client, objects).PublishAsync(View(ws, ("ResourceReady", "True", "Ready")));

        var stored = await _ns.GetWorkspaceAsync("stale");
        Assert.Equal("yes", stored["metadata"]!["labels"]!["touched"]!.GetValue<string>());
        Assert.Equal("True", stored["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watched_copy_of_another_uid_is_not_trusted()
    {
        var old = await _ns.CreateWorkspaceAsync("twice");
        var objects = new WorkspaceObjectCache();
        objects.Offer(old);
        await _ns.DeleteWorkspaceAsync("twice");
        var recreated = await _ns.CreateWorkspaceAsync("twice");

        await Publisher(kube.Client, objects).PublishAsync(View(recreated, ("ResourceReady", "True", "Ready")));

        var stored = await _ns.GetWorkspaceAsync("twice");
        Assert.Equal(TestNamespace.Uid(recreated), TestNamespace.Uid(stored));
        Assert.Equal("True", stored["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_view_of_a_deleted_workspace_leaves_the_recreated_one_alone()
    {
        var old = await _ns.CreateWorkspaceAsync("again");
        await _ns.DeleteWorkspaceAsync("again");
        var recreated = await _ns.CreateWorkspaceAsync("again");

        await Publisher(kube.Client).PublishAsync(View(old, ("ResourceReady", "True", "Ready")));

        var stored = await _ns.GetWorkspaceAsync("again");
        Assert.Equal(TestNamespace.ResourceVersion(recreated), TestNamespace.ResourceVersion(stored));
        Assert.Null(stored["status"]);
    }

    [Fact]
    public async Task A_view_of_a_workspace_that_is_gone_writes_nothing_and_does_not_throw()
    {
        var ws = await _ns.CreateWorkspaceAsync("gone");
        await _ns.DeleteWorkspaceAsync("gone");

        await Publisher(kube.Client).PublishAsync(View(ws, ("ResourceReady", "True", "Ready")));
    }

    private KubernetesStatusPublisher Publisher(IKubernetes client, WorkspaceObjectCache? objects = null) =>
        new(client, _clock, TestBridge.Options(_ns.Name), NullLogger<KubernetesStatusPublisher>.Instance, objects);

    private WorkspaceView View(JsonObject ws, params (string Type, string Status, string Reason)[] conditions) => new(
        Key: $"{_ns.Name}/{ws["metadata"]!["name"]}/{TestNamespace.Uid(ws)}", Version: 3, Phase: default, Generation: 1,
        Revision: 1, RevisionHash: null, Mode: null, InstanceType: "Standard_NC6s_v3", TargetNodeCount: 1,
        WorkerNodes: ["node-1"], Machines: [],
        Conditions: conditions.Select(c => new WorkspaceConditionView(c.Type, c.Status, c.Reason, $"message about {c.Type}")).ToList(),
        FailureReason: null, FailureMessage: null, RejectionMessage: null, UpdatedAt: null);

    private static (string Reason, string Time) Condition(JsonObject ws)
    {
        var condition = ws["status"]!["conditions"]![0]!;
        return (condition["reason"]!.GetValue<string>(), condition["lastTransitionTime"]!.GetValue<string>());
    }

    /// <summary>kubectl get workspace NAME, as column name -> cell.</summary>
    private async Task<Dictionary<string, string?>> TableRow(string name)
    {
        var k = (Kubernetes)kube.Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(k.BaseUri, $"apis/{Workspace.KubeApiVersion}/namespaces/{_ns.Name}/{Workspace.KubePlural}/{name}"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        await k.Credentials!.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await k.HttpClient.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var names = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>().ToUpperInvariant());
        return names.Zip(table["rows"]![0]!["cells"]!.AsArray().Select(c => c?.ToString())).ToDictionary(p => p.First, p => p.Second);
    }
}
