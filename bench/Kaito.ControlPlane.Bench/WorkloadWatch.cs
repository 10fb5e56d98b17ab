using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Kaito.ControlPlane.Bench;

/// <summary>
/// Watches the Deployments and Services labelled <c>kaito.sh/workspace</c> in one namespace from before the first
/// create, and notes when each name first appears (stopwatch time of the ADDED event as this process reads it). A watch
/// the API server closes (it drops a watcher that reads too slowly, which a busy 2-core machine can be) resumes from
/// the last resourceVersion it delivered, so no ADDED is missed.
/// </summary>
internal sealed class WorkloadWatch : IAsyncDisposable
{
    private const string Selector = "kaito.sh/workspace";

    private readonly int _expected;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _loops = [];

    private IKubernetes? _client;
    private string _namespace = string.Empty;

    private WorkloadWatch(int expected, Stopwatch clock)
    {
        _expected = expected;
        _clock = clock;
    }

    public ConcurrentDictionary<string, TimeSpan> Deployments { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TimeSpan> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when <c>expected</c> Deployments and as many Services have appeared.</summary>
    public Task All => _all.Task;

    public static async Task<WorkloadWatch> StartAsync(IKubernetes client, string ns, int expected, Stopwatch clock)
    {
        var watch = new WorkloadWatch(expected, clock) { _client = client, _namespace = ns };
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: Selector);
        var services = await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: Selector);
        watch._loops.Add(watch.RunAsync(
            (version, ct) => client.AppsV1.WatchListNamespacedDeploymentAsync(ns, labelSelector: Selector,
                resourceVersion: version, timeoutSeconds: 600, cancellationToken: ct),
            deployments.Metadata.ResourceVersion, watch.Deployments));
        watch._loops.Add(watch.RunAsync(
            (version, ct) => client.CoreV1.WatchListNamespacedServiceAsync(ns, labelSelector: Selector,
                resourceVersion: version, timeoutSeconds: 600, cancellationToken: ct),
            services.Metadata.ResourceVersion, watch.Services));
        return watch;
    }

    /// <summary>
    /// Waits for all of them; past the deadline it says how many exist on the API server beside how many the watch saw,
    /// so a slow control plane and a watch that missed events can be told apart.
    /// </summary>
    public async Task WaitAllAsync(TimeSpan deadline)
    {
        try
        {
            await All.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            var deployments = await _client!.AppsV1.ListNamespacedDeploymentAsync(_namespace, labelSelector: Selector);
            var services = await _client.CoreV1.ListNamespacedServiceAsync(_namespace, labelSelector: Selector);
            throw new TimeoutException($"after {deadline}: {deployments.Items.Count} Deployments and {services.Items.Count} Services of {_expected} exist; the watch saw {Deployments.Count} and {Services.Count}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync<T>(Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, string from,
        ConcurrentDictionary<string, TimeSpan> seen)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            for (var reconnects = 0; reconnects < 100; reconnects++)
            {
                await foreach (var (type, item) in watch(from, _stop.Token))
                {
                    from = item.Metadata?.ResourceVersion ?? from;
                    if (type == WatchEventType.Added && item.Metadata?.Name is { } name)
                    {
                        seen.TryAdd(name, _clock.Elapsed);
                        if (Deployments.Count >= _expected && Services.Count >= _expected)
                        {
                            _all.TrySetResult();
                            return;
                        }
                    }
                }
            }

            _all.TrySetException(new InvalidOperationException($"the {typeof(T).Name} watch kept ending before all {_expected} appeared"));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _all.TrySetException(ex);
        }
    }
}
