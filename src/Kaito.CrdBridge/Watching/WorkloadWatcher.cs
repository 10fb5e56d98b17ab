using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Watching;

/// <summary>
/// Watches one kind of object a Workspace owns (Deployments, StatefulSets, Jobs, Pods labelled
/// <c>kaito.sh/workspace</c>) and pokes the owning Workspace on every event, deletions included (the grain
/// re-creates what is missing); pods only when a problem appears or clears (<see cref="PodProblemFilter"/>).
/// Cause: <c>watch:deployment-modified</c>.
/// </summary>
public sealed partial class WorkloadWatcher(ResourceWatcher watcher, WorkspaceOwnerResolver owners, PokeDispatcher pokes,
    ILogger<WorkloadWatcher> logger, WorkloadCache? cache = null) : IBridgeWatcher, IResourceEventHandler
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (_pods is not null && cache is not null)
        {
            _ = watcher.Synced.ContinueWith(_ => cache.PodsListed(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        return watcher.RunAsync(this, cancellationToken);
    }

    private readonly PodProblemFilter? _pods = watcher.Resource.Plural == "pods" ? new PodProblemFilter() : null;

    public Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        cache?.Apply(watcher.Resource.Plural, resourceEvent);
        if (_pods is not null && !_pods.IsWorthAPoke(resourceEvent))
        {
            return Task.CompletedTask;
        }

        if (owners.Resolve(resourceEvent) is { } key)
        {
            pokes.PokeWorkspace(key, Cause(watcher.Resource, resourceEvent.Type));
        }
        else
        {
            LogNoOwner(watcher.Resource.Kind, resourceEvent.DisplayName);
        }

        return Task.CompletedTask;
    }

    internal static string Cause(WatchedResource resource, ResourceEventType type) =>
        $"watch:{resource.Kind}-{type.ToString().ToLowerInvariant()}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Kind} {Object} names no known Workspace")]
    private partial void LogNoOwner(string kind, string @object);
}
