using System.Collections.Immutable;
using Kaito.Grains.EventLog;
using Kaito.Grains.Workspaces;

namespace Kaito.Grains.Bench;

/// <summary>Realistic event sequences to seed the tables with.</summary>
internal static class BenchEvents
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    public static EventContext Context(int i = 0) => new(T0.AddMilliseconds(i), 1, "bench", Actors.Api("bench"));

    /// <summary>The seven events that take an inference Workspace from requested to Ready, with a real-sized spec.</summary>
    public static IReadOnlyList<WorkspaceEvent> ReadyWorkspace(string key)
    {
        var specJson = "{\"resource\":{\"count\":1,\"instanceType\":\"Standard_NC6s_v3\",\"labelSelector\":{\"matchLabels\":{\"apps\":\"phi-3\"}}},"
            + "\"inference\":{\"preset\":{\"name\":\"phi-3-mini-4k-instruct\"}},\"workspace\":\"" + key + "\"}";
        var spec = new WorkspaceSpecRecord(specJson, WorkspaceSpecFactory.Hash(specJson), WorkspaceMode.Inference, 1, "Standard_NC6s_v3",
            ImmutableDictionary<string, string>.Empty.Add("apps", "phi-3"), [], "phi-3-mini-4k-instruct", "50Gi", false);
        var machine = MachineNames.For(key, 0);
        var node = $"aks-{machine}-vmss000000";
        return
        [
            new WorkspaceRequested(Context(), spec),
            new MachineProvisioningRequested(Context(1), machine, spec.InstanceType),
            new MachineReadyObserved(Context(2), machine, node),
            new ResourcesBecameReady(Context(3), [node]),
            new WorkloadApplied(Context(4), spec.RevisionHash, "Deployment"),
            new WorkloadReplicasObserved(Context(5), 1, 1),
            new InferenceBecameReady(Context(6)),
        ];
    }

    public static IReadOnlyList<string> Notes(int count, int round) =>
        [.. Enumerable.Range(0, count).Select(i => $"bench note {round}.{i}: kubectl annotate by an operator, with a line of text to it")];
}
