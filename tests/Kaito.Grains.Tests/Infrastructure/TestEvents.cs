using System.Collections.Immutable;
using Kaito.Grains.EventLog;
using Kaito.Grains.Machines;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>Event contexts and spec records for tests that drive Apply alone.</summary>
public static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static EventContext Context(int secondsAfterT0 = 0, long generation = 1, string cause = "test", string actor = "api:tester") =>
        new(T0.AddSeconds(secondsAfterT0), generation, cause, actor);

    public static WorkspaceSpecRecord Spec(WorkspaceMode mode = WorkspaceMode.Inference, int nodes = 1, string hash = "abcdef0123",
        string instanceType = "Standard_NC6s_v3") =>
        new("{}", hash, mode, nodes, instanceType, ImmutableDictionary<string, string>.Empty.Add("apps", "phi-3"), [],
            "phi-3-mini-4k-instruct", "50Gi", false);

    public static MachineSpecRecord MachineSpec(string owner = "default/ws") =>
        new("Standard_NC6s_v3", ImmutableDictionary<string, string>.Empty.Add("apps", "phi-3"), ["sku=gpu:NoSchedule"], "50Gi", owner);

    /// <summary>The events of a one-node inference Workspace from requested to Ready.</summary>
    public static WorkspaceEvent[] ReadyInference() =>
    [
        new WorkspaceRequested(Context(), Spec()),
        new MachineProvisioningRequested(Context(), "ws1", "Standard_NC6s_v3"),
        new MachineReadyObserved(Context(), "ws1", "node-a"),
        new ResourcesBecameReady(Context(), ["node-a"]),
        new WorkloadApplied(Context(), "abcdef0123", "Deployment"),
        new InferenceBecameReady(Context()),
    ];

    public static WorkspaceState Workspace(params WorkspaceEvent[] events)
    {
        var state = new WorkspaceState();
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return state;
    }

    public static MachineState Machine(params MachineEvent[] events)
    {
        var state = new MachineState();
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return state;
    }
}
