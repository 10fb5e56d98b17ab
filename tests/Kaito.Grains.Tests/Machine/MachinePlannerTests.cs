using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Microsoft.Extensions.Time.Testing;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Machines;

/// <summary>The Machine state machine, deadlines and backoff driven through Apply and the planner with a fake clock.</summary>
public sealed class MachinePlannerTests
{
    private static readonly MachineProvisioningOptions Options = new()
    {
        NodeRegistrationTimeout = TimeSpan.FromSeconds(240),
        GpuReadyTimeout = TimeSpan.FromSeconds(300),
        MaxAttempts = 3,
        BackoffBase = TimeSpan.FromSeconds(10),
        BackoffCap = TimeSpan.FromSeconds(60),
        JitterRatio = 0.2,
    };

    [Fact]
    public void A_node_of_a_sku_without_gpus_does_not_wait_for_gpu_capacity()
    {
        var state = Machine(new MachineRequested(Context(), MachineSpec()), new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)));

        Assert.Single(MachinePlanner.OnNode(state, new NodeObservation("node-a", true, 0), Context(20), Options));
        var events = MachinePlanner.OnNode(state, new NodeObservation("node-a", true, 0), Context(20), Options, gpuRequired: false);
        foreach (var e in events)
        {
            state.Apply(e);
        }

        Assert.Equal(MachinePhase.Ready, state.Phase);
    }

    [Fact]
    public void A_ready_machine_whose_node_is_lost_releases_itself()
    {
        var state = Machine(
            new MachineRequested(Context(), MachineSpec()),
            new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)),
            new MachineNodeRegistered(Context(), "node-a", T0.AddSeconds(300)),
            new MachineGpuCapacityObserved(Context(), 1),
            new MachineBecameReady(Context()));
        Assert.Equal(MachineStep.CheckNode, MachinePlanner.Next(state, T0));

        state.Apply(new MachineNodeLost(Context(), "node-a"));

        Assert.Equal(MachinePhase.Deleting, state.Phase);
        Assert.Equal("NodeLost", state.LastErrorCode);
        Assert.Equal(MachineStep.StartDeletion, MachinePlanner.Next(state, T0));
    }

    [Fact]
    public void Machine_goes_requested_creating_registered_gpu_seen_ready()
    {
        var state = Machine(new MachineRequested(Context(), MachineSpec()));
        Assert.Equal(MachineStep.StartCreation, MachinePlanner.Next(state, T0));

        state.Apply(new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)));
        Assert.Equal(MachinePhase.Creating, state.Phase);
        Assert.Equal(MachineStep.AwaitNode, MachinePlanner.Next(state, T0.AddSeconds(10)));

        var events = MachinePlanner.OnNode(state, new NodeObservation("node-a", true, 1), Context(20), Options);
        Assert.Collection(events,
            e => Assert.Equal("node-a", Assert.IsType<MachineNodeRegistered>(e).NodeName),
            e => Assert.Equal(1, Assert.IsType<MachineGpuCapacityObserved>(e).GpuCount),
            e => Assert.IsType<MachineBecameReady>(e));
        foreach (var e in events)
        {
            state.Apply(e);
        }

        Assert.Equal(MachinePhase.Ready, state.Phase);
        Assert.Equal("node-a", state.NodeName);
        Assert.True(state.IsSettled);
    }

    [Fact]
    public void Node_without_gpu_capacity_waits_in_node_registered()
    {
        var state = Machine(new MachineRequested(Context(), MachineSpec()), new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)));

        foreach (var e in MachinePlanner.OnNode(state, new NodeObservation("node-a", true, 0), Context(5), Options))
        {
            state.Apply(e);
        }

        Assert.Equal(MachinePhase.NodeRegistered, state.Phase);
        Assert.Equal(T0.AddSeconds(5 + 300), state.PhaseDeadline);
        Assert.Empty(MachinePlanner.OnNode(state, new NodeObservation("node-a", true, 0), Context(6), Options));
    }

    [Fact]
    public void Node_registration_timeout_is_a_failed_attempt_with_backoff_then_a_retry()
    {
        var clock = new FakeTimeProvider(T0);
        var state = Machine(new MachineRequested(Context(), MachineSpec()), new MachineCreationStarted(Context(), "op-1", 1, T0.AddSeconds(240)));

        clock.Advance(TimeSpan.FromSeconds(240));
        Assert.Equal(MachineStep.AwaitNode, MachinePlanner.Next(state, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MachineStep.PhaseTimedOut, MachinePlanner.Next(state, clock.GetUtcNow()));
        Assert.Equal("NodeRegistrationTimeout", MachinePlanner.TimeoutCode(state));

        var context = Context(241);
        var failure = Assert.IsType<MachineAttemptFailed>(MachinePlanner.Failure(context, state.Attempt, "NodeRegistrationTimeout", "late", false, Options, 0.0));
        state.Apply(failure);
        Assert.Equal(MachinePhase.Requested, state.Phase);
        Assert.Equal(context.At.AddSeconds(10), state.NextAttemptAt);
        Assert.Equal("NodeRegistrationTimeout", state.LastErrorCode);

        Assert.Equal(MachineStep.AwaitBackoff, MachinePlanner.Next(state, clock.GetUtcNow().AddSeconds(9)));
        Assert.Equal(MachineStep.StartCreation, MachinePlanner.Next(state, clock.GetUtcNow().AddSeconds(10)));
    }

    [Fact]
    public void Last_attempt_or_a_permanent_error_fails_the_machine()
    {
        Assert.IsType<MachineFailed>(MachinePlanner.Failure(Context(), 3, "QuotaExceeded", "no quota", false, Options, 0.5));
        Assert.IsType<MachineAttemptFailed>(MachinePlanner.Failure(Context(), 2, "QuotaExceeded", "no quota", false, Options, 0.5));

        var permanent = Assert.IsType<MachineFailed>(MachinePlanner.Failure(Context(), 1, "SkuNotAvailable", "no such SKU", true, Options, 0.5));
        var state = Machine(new MachineRequested(Context(), MachineSpec()), permanent);
        Assert.Equal(MachinePhase.Failed, state.Phase);
        Assert.Equal("SkuNotAvailable", state.LastErrorCode);
        Assert.Equal(MachineStep.None, MachinePlanner.Next(state, T0.AddDays(1)));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 60)]
    [InlineData(30, 60)]
    public void Backoff_doubles_up_to_the_cap_and_jitter_only_shortens_it(int attempt, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), MachinePlanner.Backoff(attempt, Options, 0.0));
        var jittered = MachinePlanner.Backoff(attempt, Options, 0.999);
        Assert.InRange(jittered.TotalSeconds, expectedSeconds * 0.8, expectedSeconds);
    }

    [Fact]
    public void Deletion_starts_then_waits_for_the_node_to_go()
    {
        var state = Machine(new MachineRequested(Context(), MachineSpec()), new MachineDeletionRequested(Context(1)));
        Assert.Equal(MachineStep.StartDeletion, MachinePlanner.Next(state, T0));

        state.Apply(new MachineDeletionStarted(Context(2), "op-del"));
        Assert.Equal(MachineStep.AwaitDeletion, MachinePlanner.Next(state, T0));

        state.Apply(new MachineDeleted(Context(3)));
        Assert.Equal(MachinePhase.Deleted, state.Phase);
        Assert.Equal(MachineStep.None, MachinePlanner.Next(state, T0));
    }
}
