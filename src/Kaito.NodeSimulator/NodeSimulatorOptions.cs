using Kaito.Api.Catalog;
using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator;

/// <summary>How the simulated nodes and kubelet behave.</summary>
public sealed class NodeSimulatorOptions
{
    /// <summary>
    /// Instance types whose launch fails, with <c>"&lt;reason&gt;: &lt;message&gt;"</c> as reported in the claim's
    /// Launched condition, e.g. <c>["Standard_NC96ads_A100_v4"] = "QuotaExceeded: Operation could not be completed ..."</c>.
    /// </summary>
    public Dictionary<string, string> FailingInstanceTypes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Also serve <c>machines.karpenter.sh/v1alpha5</c> (the seed-era API) when that CRD is installed.</summary>
    public bool WatchMachines { get; init; } = true;

    /// <summary>How often a crash-looping container's restartCount goes up.</summary>
    public TimeSpan CrashLoopRestartInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait before a failed list/watch or write is retried (backoff doubles up to it).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Pods a simulated node takes (capacity and allocatable <c>pods</c>).</summary>
    public int PodsPerNode { get; init; } = 110;

    /// <summary>GPU counts per instance type; the catalog shipped with Kaito.Api when null.</summary>
    public SkuCatalog? Skus { get; init; }

    /// <summary>
    /// Run a real Kaito.Runtime process behind each inference pod on a simulated node; null (the default) simulates
    /// them like every other pod.
    /// </summary>
    public LocalRuntimeOptions? LocalRuntime { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
