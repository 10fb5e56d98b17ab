using Kaito.Grains.Hosting;
using Kaito.Grains.Machines;
using Kaito.Grains.Retries;
using Kaito.Grains.Workspaces;
using static Kaito.Grains.Tests.Infrastructure.TestEvents;

namespace Kaito.Grains.Tests.Workspaces;

/// <summary>A failed machine is released and replaced after a capped, jittered backoff; the workspace leaves Failed.</summary>
public sealed class MachineReplacementTests
{
    private static readonly MachineProvisioningOptions Options = new() { MaxReplacements = 2 };

    private static WorkspaceState Provisioning() => Workspace(
        new WorkspaceRequested(Context(), Spec()),
        new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"));

    private static MachineReport Failed(string machineId) => new(machineId, MachinePhase.Failed, null, "QuotaExceeded", "no quota (gave up after 5 attempt(s))");

    [Fact]
    public void A_failed_machine_is_released_then_replaced_after_the_backoff_and_the_workspace_ends_ready()
    {
        var state = Provisioning();
        var failure = Assert.IsType<MachineFailureObserved>(Assert.Single(WorkspaceObservationRules.OnMachine(state, Failed("ws1"), Context(10), Options, 0)));
        state.Apply(failure);

        Assert.Equal(WorkspacePhase.Failed, state.Phase);
        Assert.False(state.IsSettled);
        Assert.Equal(WorkspaceStep.ReleaseFailedMachines, WorkspacePlanner.Next(state, Context(10).At));

        state.Apply(new MachineDeletionObserved(Context(11), "ws1"));
        Assert.Equal(WorkspaceStep.AwaitMachineRetry, WorkspacePlanner.Next(state, Context(11).At));
        Assert.Equal(WorkspaceStep.ProvisionNodes, WorkspacePlanner.Next(state, failure.RetryAt!.Value));
        Assert.Contains("replacement 1", WorkspaceViews.Conditions(state).Single(c => c.Type == "ResourceReady").Message);

        state.Apply(new MachineProvisioningRequested(Context(41), "ws2", "Standard_NC6s_v3"));
        Assert.Equal(WorkspacePhase.ProvisioningNodes, state.Phase);
        Assert.Null(state.NextMachineRetryAt);
        state.Apply(new MachineReadyObserved(Context(50), "ws2", "node-b"));
        Assert.Equal(WorkspaceStep.MarkResourcesReady, WorkspacePlanner.Next(state, Context(50).At));
        foreach (var e in new WorkspaceEvent[]
        {
            new ResourcesBecameReady(Context(51), ["node-b"]), new WorkloadApplied(Context(52), "abcdef0123", "Deployment"), new InferenceBecameReady(Context(53)),
        })
        {
            state.Apply(e);
        }

        Assert.Equal(WorkspacePhase.Ready, state.Phase);
        Assert.Null(state.FailureReason);
        Assert.Equal(1, state.MachineRetries);
        Assert.Equal(["node-b"], state.WorkerNodes);
    }

    [Fact]
    public void Replacements_back_off_exponentially_and_stop_at_the_cap_leaving_the_workspace_failed_and_settled()
    {
        var state = Provisioning();
        var first = (MachineFailureObserved)WorkspaceObservationRules.OnMachine(state, Failed("ws1"), Context(0), Options, 0)[0];
        state.Apply(first);
        state.Apply(new MachineDeletionObserved(Context(1), "ws1"));
        state.Apply(new MachineProvisioningRequested(Context(40), "ws2", "Standard_NC6s_v3"));
        var second = (MachineFailureObserved)WorkspaceObservationRules.OnMachine(state, Failed("ws2"), Context(100), Options, 0)[0];
        state.Apply(second);
        state.Apply(new MachineDeletionObserved(Context(101), "ws2"));
        state.Apply(new MachineProvisioningRequested(Context(200), "ws3", "Standard_NC6s_v3"));
        var third = (MachineFailureObserved)WorkspaceObservationRules.OnMachine(state, Failed("ws3"), Context(300), Options, 0)[0];
        state.Apply(third);

        Assert.Equal(Options.ReplacementBackoffBase, first.RetryAt - Context(0).At);
        Assert.Equal(2 * Options.ReplacementBackoffBase, second.RetryAt - Context(100).At);
        Assert.Null(third.RetryAt);
        Assert.Contains("no replacement left", state.FailureMessage);
        Assert.Equal(WorkspaceStep.ReleaseFailedMachines, WorkspacePlanner.Next(state, Context(301).At));

        state.Apply(new MachineDeletionObserved(Context(302), "ws3"));
        Assert.True(state.IsSettled);
        Assert.Equal(WorkspaceStep.None, WorkspacePlanner.Next(state, Context(10_000).At));
    }

    [Fact]
    public void A_new_revision_takes_a_workspace_out_of_failed_and_provisions_afresh()
    {
        var state = Provisioning();
        state.Apply(new MachineFailureObserved(Context(1), "ws1", "QuotaExceeded", "no quota", 0, null));
        state.Apply(new MachineDeletionObserved(Context(2), "ws1"));
        Assert.True(state.IsSettled);

        state.Apply(new WorkspaceRevisionCreated(Context(3, generation: 2), Spec(hash: "fedcba9876"), 2));

        Assert.Equal(WorkspacePhase.Requested, state.Phase);
        Assert.Null(state.FailureReason);
        Assert.Equal(0, state.MachineRetries);
        Assert.Equal(WorkspaceStep.ProvisionNodes, WorkspacePlanner.Next(state, Context(3).At));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_jitter_only_shortens_it()
    {
        var b = TimeSpan.FromSeconds(10);
        var cap = TimeSpan.FromSeconds(60);

        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(a => RetryBackoff.Delay(a, b, cap, 0.2, 0).TotalSeconds));
        Assert.Equal(8, RetryBackoff.Delay(1, b, cap, 0.2, 1).TotalSeconds, 6);

        var failures = new FailureBackoff(b, cap, 0);
        Assert.Equal(b, failures.RecordFailure(Context().At, 0));
        Assert.Equal(2 * b, failures.RecordFailure(Context().At, 0));
        Assert.True(failures.IsBackingOff(Context(19).At));
        Assert.False(failures.IsBackingOff(Context(20).At));
        Assert.Equal(2, failures.Failures);
        Assert.True(failures.RecordSuccess());
        Assert.Equal(0, failures.Failures);
        Assert.False(failures.RecordSuccess());
    }
}
