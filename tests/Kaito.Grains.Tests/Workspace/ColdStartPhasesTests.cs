using Kaito.Grains.Tests.Infrastructure;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>The cold-start phases are a pure function of the event history: the times come from the events.</summary>
public sealed class ColdStartPhasesTests
{
    private static IReadOnlyList<(string Name, int Start, int? End)> Phases(params WorkspaceEvent[] events) =>
        [.. WorkspaceViews.From("default/ws", events.Length, Workspace(events)).ColdStart!
            .Select(p => (p.Name, (int)(p.StartedAt - T0).TotalSeconds, p.FinishedAt is { } f ? (int?)(f - T0).TotalSeconds : null))];

    private static WorkspaceEvent[] ColdStartToReady() =>
    [
        new WorkspaceRequested(Context(0), Spec()),
        new MachineProvisioningRequested(Context(1), "ws1", "Standard_NC6s_v3"),
        new MachineReadyObserved(Context(250), "ws1", "node-a"),
        new ResourcesBecameReady(Context(251), ["node-a"]),
        new WorkloadApplied(Context(252), "abcdef0123", "Deployment"),
        new WorkloadScheduledObserved(Context(256), 1, 1),
        new WorkloadReplicasObserved(Context(900), 1, 1),
        new InferenceBecameReady(Context(900)),
    ];

    [Fact]
    public void A_cold_start_to_Ready_has_four_phases_in_order_each_timed_by_its_events()
    {
        Assert.Equal(
            [("Nodes", 1, 251), ("WorkloadScheduled", 252, 256), ("ImageAndModelLoad", 256, 900), ("Ready", 0, 900)],
            Phases(ColdStartToReady()));
    }

    [Fact]
    public void A_running_phase_has_a_start_and_no_end_and_later_phases_are_absent()
    {
        Assert.Equal([("Nodes", 1, null), ("Ready", 0, null)], Phases(ColdStartToReady()[..3]));
        Assert.Equal([("Nodes", 1, 251), ("WorkloadScheduled", 252, null), ("Ready", 0, null)], Phases(ColdStartToReady()[..5]));
        Assert.Empty(WorkspaceViews.From("default/ws", 0, new WorkspaceState()).ColdStart!);
    }

    [Fact]
    public void Durations_are_end_minus_start()
    {
        var view = WorkspaceViews.From("default/ws", 8, Workspace(ColdStartToReady()));
        Assert.Equal([250, 4, 644, 900], view.ColdStart!.Select(p => p.Duration!.Value.TotalSeconds));
    }

    [Fact]
    public void Repeated_boundaries_keep_their_first_time()
    {
        Assert.Equal(
            [("Nodes", 1, 251), ("WorkloadScheduled", 252, 256), ("ImageAndModelLoad", 256, 900), ("Ready", 0, 900)],
            Phases([.. ColdStartToReady()[..6], new WorkloadScheduledObserved(Context(300), 1, 1), .. ColdStartToReady()[6..],
                new InferenceBecameReady(Context(950))]));
    }

    [Fact]
    public void A_new_revision_starts_a_new_cold_start_without_a_nodes_phase_when_the_nodes_stay()
    {
        Assert.Equal(
            [("WorkloadScheduled", 1002, 1003), ("ImageAndModelLoad", 1003, 1100), ("Ready", 1000, 1100)],
            Phases([.. ColdStartToReady(),
                new WorkspaceRevisionCreated(Context(1000, generation: 2), Spec(hash: "0123456789"), 2),
                new WorkloadApplied(Context(1002, generation: 2), "0123456789", "Deployment"),
                new WorkloadScheduledObserved(Context(1003, generation: 2), 1, 1),
                new InferenceBecameReady(Context(1100, generation: 2))]));
    }

    [Fact]
    public void A_node_lost_after_Ready_starts_a_new_cold_start_at_the_replacement_request()
    {
        Assert.Equal(
            [("Nodes", 2000, 2200), ("WorkloadScheduled", 2201, null), ("Ready", 2000, null)],
            Phases([.. ColdStartToReady(),
                new MachineDeletionObserved(Context(1999), "ws1"),
                new MachineProvisioningRequested(Context(2000), "ws2", "Standard_NC6s_v3"),
                new MachineReadyObserved(Context(2199), "ws2", "node-b"),
                new ResourcesBecameReady(Context(2200), ["node-b"]),
                new WorkloadApplied(Context(2201), "abcdef0123", "Deployment")]));
    }

    [Fact]
    public void A_workload_scheduled_observation_is_recorded_once_when_every_pod_is_bound()
    {
        var deploying = Workspace(ColdStartToReady()[..5]);

        Assert.DoesNotContain(WorkspaceObservationRules.OnWorkload(deploying, new WorkloadObservation(0, 2, ScheduledPods: 1), Context(253)),
            e => e is WorkloadScheduledObserved);
        var scheduled = Assert.Single(WorkspaceObservationRules.OnWorkload(deploying, new WorkloadObservation(0, 2, ScheduledPods: 2), Context(254))
            .OfType<WorkloadScheduledObserved>());
        Assert.Equal((2, 2), (scheduled.ScheduledPods, scheduled.DesiredPods));

        deploying.Apply(scheduled);
        Assert.DoesNotContain(WorkspaceObservationRules.OnWorkload(deploying, new WorkloadObservation(2, 2, ScheduledPods: 2), Context(255)),
            e => e is WorkloadScheduledObserved);
    }

    [Fact]
    public void Ready_replicas_count_as_scheduled_when_the_pods_were_not_listed()
    {
        var events = WorkspaceObservationRules.OnWorkload(Workspace(ColdStartToReady()[..5]), new WorkloadObservation(1, 1), Context(260));

        Assert.IsType<WorkloadScheduledObserved>(events[0]);
        Assert.IsType<InferenceBecameReady>(events[^1]);
    }
}
