using Kaito.Grains.Ports;
using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>What each decision tells a <c>kubectl describe</c> reader.</summary>
public sealed class WorkspaceEventNoticesTests
{
    private const string Key = "default/ws/uid-1";

    [Fact]
    public void An_accepted_first_spec_says_the_revision_and_the_instance_type_at_the_decisions_time()
    {
        var notices = WorkspaceEventNotices.For(Key, new WorkspaceRequested(Context(7), Spec(nodes: 2)));

        Assert.Equal(
            [
                new WorkspaceEventNotice(Key, KubernetesEventType.Normal, "RevisionAccepted",
                    "Accepted revision 1 (abcde): inference of phi-3-mini-4k-instruct on 2 x Standard_NC6s_v3", T0.AddSeconds(7)),
                new WorkspaceEventNotice(Key, KubernetesEventType.Normal, "InstanceTypeSelected", "Instance type Standard_NC6s_v3 for 2 node(s)", T0.AddSeconds(7)),
            ],
            notices);
    }

    [Fact]
    public void Failures_and_problems_are_warnings_with_their_reason()
    {
        Assert.Equal((KubernetesEventType.Warning, "OOMKilled", "pod p: container c: OOMKilled"),
            One(new WorkloadProblemObserved(Context(), "OOMKilled", "pod p: container c: OOMKilled")));
        Assert.Equal((KubernetesEventType.Warning, "WorkspaceFailed", "TuningJobFailed: BackoffLimitExceeded"),
            One(new WorkspaceFailed(Context(), "TuningJobFailed", "BackoffLimitExceeded")));
        Assert.Equal((KubernetesEventType.Warning, "MachineProblem", "Machine ws1: QuotaExceeded: no quota"),
            One(new MachineProblemObserved(Context(), "ws1", "QuotaExceeded", "no quota")));
        Assert.Equal(KubernetesEventType.Warning, One(new WorkspaceSpecRejected(Context(), ["resource.count: field is immutable"])).Type);
        Assert.Equal(KubernetesEventType.Warning, One(new MachineFailureObserved(Context(), "ws1", "AllocationFailed", "none", 1, null)).Type);
    }

    [Fact]
    public void The_life_of_a_workspace_reads_as_reasons_in_order()
    {
        var reasons = ReadyInference().Append(new WorkspaceDeletionRequested(Context()))
            .SelectMany(e => WorkspaceEventNotices.For(Key, e)).Select(n => n.Reason);

        Assert.Equal(["RevisionAccepted", "InstanceTypeSelected", "MachineRequested", "NodeRegistered", "ResourceReady", "WorkloadApplied",
            "WorkspaceReady", "Deleting"], reasons);
    }

    [Fact]
    public void Counters_notes_and_the_final_deletion_tell_nothing()
    {
        Assert.Empty(WorkspaceEventNotices.For(Key, new WorkloadReplicasObserved(Context(), 1, 1)));
        Assert.Empty(WorkspaceEventNotices.For(Key, new WorkspaceNoteRecorded(Context(), "note")));
        Assert.Empty(WorkspaceEventNotices.For(Key, new WorkspaceDeleted(Context())));
    }

    [Fact]
    public void A_long_message_is_cut_to_the_limit()
    {
        var notice = WorkspaceEventNotices.For(Key, new WorkspaceFailed(Context(), "TuningJobFailed", new string('x', 5000)))[0];

        Assert.Equal(WorkspaceEventNotices.MaxMessageLength, notice.Message.Length);
        Assert.EndsWith("...", notice.Message);
    }

    private static (KubernetesEventType Type, string Reason, string Message) One(WorkspaceEvent e)
    {
        var notice = Assert.Single(WorkspaceEventNotices.For(Key, e));
        return (notice.Type, notice.Reason, notice.Message);
    }
}
