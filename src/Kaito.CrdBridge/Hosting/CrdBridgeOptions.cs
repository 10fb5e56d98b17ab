namespace Kaito.CrdBridge.Hosting;

/// <summary>What the bridge watches and how it reconnects.</summary>
public sealed class CrdBridgeOptions
{
    /// <summary>Watch Workspaces and their workloads in this namespace only; null watches all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>A watch asks the server to close after this long (timeoutSeconds); it then reconnects from its resourceVersion.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Re-list (delivering every object as a resync) when a watch reconnects this long after the last list.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>First reconnect delay after a failure; doubles per consecutive failure up to <see cref="BackoffCap"/>.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Each delay is shortened by a random share of up to this ratio, so that watchers do not reconnect in step.</summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>How often to look again for a resource the server does not serve (e.g. Karpenter's CRDs not installed).</summary>
    public TimeSpan MissingResourceRetry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Objects per list page.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Status writes retried with a fresh read after a 409 Conflict, at most this many times.</summary>
    public int StatusConflictRetries { get; set; } = 5;

    /// <summary>Workspaces whose events are handed to their grains at the same time; one Workspace's events stay in order.</summary>
    public int WorkspaceConcurrency { get; set; } = 32;

    /// <summary>The cluster-object watchers start once the Workspace watcher has listed (so owners' UIDs are known), or after this long.</summary>
    public TimeSpan WorkspaceSyncWait { get; set; } = TimeSpan.FromSeconds(30);
}
