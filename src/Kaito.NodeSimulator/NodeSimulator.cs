using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.NodeSimulator.Addresses;
using Kaito.NodeSimulator.Claims;
using Kaito.NodeSimulator.LocalRuntimes;
using Kaito.NodeSimulator.Nodes;
using Kaito.NodeSimulator.Pods;
using Kaito.NodeSimulator.Watching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.NodeSimulator;

/// <summary>
/// Nodes and a kubelet for an API server that has none (kwok-style): NodeClaims (karpenter.sh/v1) and Machines
/// (karpenter.sh/v1alpha5) become Ready GPU Nodes, and pods the scheduler binds to those nodes get the statuses a
/// kubelet would write. Failures (launch, crash loop, OOM, failed Job) are switched on by options and annotations
/// (<see cref="SimulatorAnnotations"/>). Pod IPs are data from the RFC 5737 documentation ranges (192.0.2.x first),
/// never connected to. Nothing runs, unless <see cref="NodeSimulatorOptions.LocalRuntime"/> asks for a real runtime
/// process behind each inference pod, on loopback.
/// </summary>
public sealed partial class NodeSimulator : IAsyncDisposable
{
    private const string PodKey = "pod:";
    private const string ClaimKey = "claim:";

    private readonly IKubernetes _client;
    private readonly NodeSimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly WorkQueue _queue;
    private readonly ObjectCache<V1Node> _nodes;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly AddressPool _addresses = new();
    private readonly NodeRegistrar _registrar;
    private readonly PodReconciler _podReconciler;
    private readonly RuntimeSupervisor? _runtimes;
    private readonly Dictionary<string, (ClaimReconciler Reconciler, ObjectCache<ClaimObject> Cache)> _claims = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stopping;
    private Task _running = Task.CompletedTask;

    public NodeSimulator(IKubernetes client, NodeSimulatorOptions? options = null, ILogger<NodeSimulator>? logger = null)
    {
        _client = client;
        _options = options ?? new NodeSimulatorOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _queue = new WorkQueue(_options.MaxRetryDelay);
        _nodes = new ObjectCache<V1Node>(OnNodeChanged);
        _pods = new ObjectCache<V1Pod>(OnPodChanged);
        _registrar = new NodeRegistrar(client, _options.Skus ?? KaitoCatalog.LoadEmbedded().Skus, _addresses, _options, _logger);
        _runtimes = _options.LocalRuntime is { } local
            ? new RuntimeSupervisor(local, _options.TimeProvider, key => _queue.Add(PodKey + key), _logger)
            : null;
        _podReconciler = new PodReconciler(client, _pods, _nodes, _addresses, _options, _runtimes, _logger);
        foreach (var kind in _options.WatchMachines ? [ClaimKind.NodeClaim, ClaimKind.Machine] : new[] { ClaimKind.NodeClaim })
        {
            var cache = new ObjectCache<ClaimObject>((key, _, _) => _queue.Add(ClaimKey + kind.Plural + ":" + key));
            _claims[kind.Plural] = (new ClaimReconciler(client, kind, cache, _nodes, _registrar, _options, _logger), cache);
        }
    }

    /// <summary>Starts watching in the background; returns at once. Stop with <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        if (_stopping is not null)
        {
            throw new InvalidOperationException("the simulator is already started");
        }

        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token;
        var tasks = new List<Task>
        {
            _queue.RunAsync(ReconcileAsync, (key, e) => LogReconcileFailed(_logger, key, e), stopping),
            NodeLoop().RunAsync(stopping),
            PodLoop().RunAsync(stopping),
            RestartCrashLoopsAsync(stopping),
        };
        tasks.AddRange(_claims.Values.Select(c => ClaimLoop(c.Reconciler.Kind, c.Cache).RunAsync(stopping)));
        _running = Task.WhenAll(tasks.Select(t => Task.Run(() => t, CancellationToken.None)));
        LogStarted(_logger, string.Join(", ", _claims.Values.Select(c => c.Reconciler.Kind.Resource)));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (the command-line entry).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await DisposeAsync();
    }

    /// <summary>
    /// Registers a bring-your-own GPU node (no NodeClaim): a Ready Node with the instance type's GPUs from the SKU
    /// catalog, <paramref name="labels"/> on top of the usual ones. Works whether or not the simulator is started.
    /// </summary>
    public Task<V1Node> RegisterNodeAsync(
        string name, string instanceType, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        _registrar.RegisterAsync(name, instanceType, labels ?? new Dictionary<string, string>(), null, null, cancellationToken);

    /// <summary>The pid of the runtime process behind a pod (by uid), or null: none runs (not served, starting over, gone).</summary>
    public int? RuntimeProcessId(string podUid) => _runtimes?.ProcessIdOf(podUid);

    /// <summary>
    /// Registers the node a cloud node pool brings up (an AKS agent pool): a Ready Node with <paramref name="labels"/>
    /// and <paramref name="taints"/> (<c>key=value:Effect</c>), as a kubelet joining from the pool's VM would.
    /// </summary>
    public Task<V1Node> RegisterPoolNodeAsync(
        string name, string instanceType, IReadOnlyDictionary<string, string> labels, IEnumerable<string> taints, CancellationToken cancellationToken = default) =>
        _registrar.RegisterAsync(name, instanceType, labels, [.. taints.Select(ParseTaint)], null, cancellationToken);

    /// <summary>Removes a node as its VM going away would; a node already gone is fine.</summary>
    public Task DeleteNodeAsync(string name, CancellationToken cancellationToken = default) => _registrar.DeleteAsync(name, cancellationToken);

    private static V1Taint ParseTaint(string taint)
    {
        var colon = taint.LastIndexOf(':');
        var keyValue = colon < 0 ? taint : taint[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        return new V1Taint
        {
            Key = equals < 0 ? keyValue : keyValue[..equals],
            Value = equals < 0 ? null : keyValue[(equals + 1)..],
            Effect = colon < 0 ? "NoSchedule" : taint[(colon + 1)..],
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
        if (_runtimes is not null)
        {
            await _runtimes.DisposeAsync();
        }
    }

    private Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(PodKey, StringComparison.Ordinal))
        {
            return _podReconciler.ReconcileAsync(key[PodKey.Length..], cancellationToken);
        }

        var rest = key[ClaimKey.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return _claims[rest[..colon]].Reconciler.ReconcileAsync(rest[(colon + 1)..], cancellationToken);
    }

    private void OnNodeChanged(string name, V1Node? old, V1Node? current)
    {
        if (current is not null)
        {
            _addresses.Reserve(NodeRegistrar.AddressOwner(name), NodeTemplate.InternalIp(current));
        }

        foreach (var pod in _pods.Values.Where(p => p.Spec?.NodeName == name))
        {
            _queue.Add(PodKey + ObjectCache<V1Pod>.KeyOf(pod));
        }
    }

    private void OnPodChanged(string key, V1Pod? old, V1Pod? current)
    {
        _podReconciler.Observe(old, current);
        _queue.Add(PodKey + key);
    }

    private async Task RestartCrashLoopsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.CrashLoopRestartInterval / 2, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var pod in _pods.Values.Where(_podReconciler.IsCrashLooping))
                {
                    _queue.Add(PodKey + ObjectCache<V1Pod>.KeyOf(pod));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ListWatchLoop<V1Node> NodeLoop()
    {
        const string selector = SimulatorLabels.Simulated + "=true";
        return new(
            "nodes",
            async ct =>
            {
                var list = await _client.CoreV1.ListNodeAsync(labelSelector: selector, cancellationToken: ct);
                return (list.Items, list.Metadata?.ResourceVersion);
            },
            (version, onError, ct) => _client.CoreV1.WatchListNodeAsync(
                labelSelector: selector, allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct),
            _nodes,
            _options.MaxRetryDelay,
            _logger);
    }

    private ListWatchLoop<V1Pod> PodLoop()
    {
        const string boundPods = "spec.nodeName!=";
        return new(
            "pods",
            async ct =>
            {
                var list = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: boundPods, cancellationToken: ct);
                return (list.Items, list.Metadata?.ResourceVersion);
            },
            (version, onError, ct) => _client.CoreV1.WatchListPodForAllNamespacesAsync(
                fieldSelector: boundPods, allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct),
            _pods,
            _options.MaxRetryDelay,
            _logger);
    }

    private ListWatchLoop<ClaimObject> ClaimLoop(ClaimKind kind, ObjectCache<ClaimObject> cache) => new(
        kind.Resource,
        async ct =>
        {
            var list = await _client.CustomObjects.ListClusterCustomObjectAsync<ClaimList>(kind.Group, kind.Version, kind.Plural, cancellationToken: ct);
            return (list.Items, list.Metadata?.ResourceVersion);
        },
        (version, onError, ct) => WatchClaimsAsync(kind, version, onError, ct),
        cache,
        _options.MaxRetryDelay,
        _logger);

    private const int WatchSeconds = 300;

    private async IAsyncEnumerable<(WatchEventType, ClaimObject)> WatchClaimsAsync(
        ClaimKind kind, string version, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = _client.CustomObjects.WatchListClusterCustomObjectAsync(
            kind.Group, kind.Version, kind.Plural, allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: WatchSeconds,
            onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            ClaimObject? claim = null;
            try
            {
                claim = KubernetesJson.Deserialize<ClaimObject>(item is JsonElement json ? json.GetRawText() : KubernetesJson.Serialize(item));
            }
            catch (JsonException e)
            {
                onError(e);
            }

            if (claim is not null)
            {
                yield return (type, claim);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node simulator watching {Claims}, nodes and pods")]
    private static partial void LogStarted(ILogger logger, string claims);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {Key} failed; retrying")]
    private static partial void LogReconcileFailed(ILogger logger, string key, Exception exception);
}
