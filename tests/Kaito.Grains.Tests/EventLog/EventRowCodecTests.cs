using System.Collections.Immutable;
using Azure.Data.Tables;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.EventLog;

public sealed class EventRowCodecTests
{
    private readonly EventRowCodec<WorkspaceEvent> _codec = new("workspace", new EventTypeRegistry<WorkspaceEvent>());

    public static TheoryData<WorkspaceEvent> WorkspaceEvents() =>
    [
        new WorkspaceRequested(Context(), Spec()),
        new WorkspaceRevisionCreated(Context(generation: 2), Spec(hash: "f00"), 2),
        new WorkspaceSpecRejected(Context(), ["a: b", "c: d"]),
        new MachineProvisioningRequested(Context(), "ws123456789", "Standard_NC6s_v3"),
        new MachineReadyObserved(Context(), "ws123456789", "node-a"),
        new ResourcesBecameReady(Context(), ["node-a"]),
        new WorkloadApplied(Context(), "abcdef", "Deployment"),
        new WorkloadReplicasObserved(Context(), 1, 2),
        new InferenceBecameReady(Context()),
        new InferenceBecameUnready(Context(), "0/1"),
        new TuningJobStarted(Context()),
        new TuningJobSucceeded(Context()),
        new WorkspaceFailed(Context(), "MachineFailed", "boom"),
        new WorkspaceDeletionRequested(Context()),
        new MachineDeletionObserved(Context(), "ws1"),
        new WorkspaceDeleted(Context()),
        new WorkspaceNoteRecorded(Context(), "hello"),
        new WorkloadProblemObserved(Context(), "CrashLoopBackOff", "pod ws-0: back-off"),
        new WorkloadProblemObserved(Context(), null, null),
        new MachineProblemObserved(Context(), "ws123456789", "QuotaExceeded", "no cores left"),
    ];

    [Theory]
    [MemberData(nameof(WorkspaceEvents))]
    public void Every_workspace_event_round_trips_under_its_stable_name_without_clr_names(WorkspaceEvent e)
    {
        var row = _codec.Encode("default%2Fws", 7, e);

        Assert.Equal("e0000000007", row.RowKey);
        Assert.StartsWith("workspace.", row.GetString("Type"));
        Assert.DoesNotContain("Kaito", row.GetString("Data"));
        Assert.DoesNotContain("System.", row.GetString("Data"));
        Assert.Equal(e.Context.Actor, row.GetString("Actor"));
        Assert.Equal(e.Describe(), row.GetString("Summary"));
        var back = _codec.Decode("default/ws", 7, row);
        Assert.Equal(e.GetType(), back.GetType());
        Assert.Equal(e.Describe(), back.Describe());
        Assert.Equal(e.Context, back.Context);
    }

    [Fact]
    public void Every_event_class_has_a_unique_stable_name()
    {
        Assert.Equal(21, new EventTypeRegistry<WorkspaceEvent>().Names.Count);
        Assert.Equal(12, new EventTypeRegistry<MachineEvent>().Names.Count);
        Assert.Contains("machine.operationProgressed", new EventTypeRegistry<MachineEvent>().Names);
        Assert.Contains("machine.creationStarted", new EventTypeRegistry<MachineEvent>().Names);
    }

    [Fact]
    public void Spec_record_keeps_labels_through_json()
    {
        var spec = Spec() with { NodeLabels = ImmutableDictionary<string, string>.Empty.Add("apps", "phi-3").Add("tier", "gpu") };
        var back = (WorkspaceRequested)_codec.Decode("ns/ws", 1, _codec.Encode("ns%2Fws", 1, new WorkspaceRequested(Context(), spec)));
        Assert.Equal("gpu", back.Spec.NodeLabels["tier"]);
        Assert.Equal(spec.RevisionHash, back.Spec.RevisionHash);
    }

    [Fact]
    public void Unknown_event_type_names_the_aggregate_and_version()
    {
        var row = new TableEntity("ns%2Fws", "e0000000042") { ["Type"] = "workspace.fromTheFuture", ["Data"] = "{}" };

        var ex = Assert.Throws<EventLogCorruptedException>(() => _codec.Decode("ns/ws", 42, row));

        Assert.Equal("ns/ws", ex.AggregateId);
        Assert.Equal(42, ex.Version);
        Assert.Contains("workspace 'ns/ws'", ex.Message);
        Assert.Contains("version 42", ex.Message);
        Assert.Contains("workspace.fromTheFuture", ex.Message);
    }

    [Fact]
    public void Malformed_event_json_names_the_aggregate_and_version()
    {
        var row = new TableEntity("ns%2Fws", "e0000000003") { ["Type"] = "workspace.noteRecorded", ["Data"] = "{not json" };

        var ex = Assert.Throws<EventLogCorruptedException>(() => _codec.Decode("ns/ws", 3, row));

        Assert.Equal(3, ex.Version);
        Assert.Contains("workspace.noteRecorded", ex.Message);
    }

    [Theory]
    [InlineData("default/phi-3", "default%2Fphi-3")]
    [InlineData("a/b#c?d\\e%f", "a%2Fb%23c%3Fd%5Ce%25f")]
    [InlineData("plain", "plain")]
    public void Partition_keys_escape_the_characters_azure_forbids_and_decode_back(string id, string key)
    {
        Assert.Equal(key, PartitionKeyEncoding.Encode(id));
        Assert.Equal(id, PartitionKeyEncoding.Decode(key));
    }
}
