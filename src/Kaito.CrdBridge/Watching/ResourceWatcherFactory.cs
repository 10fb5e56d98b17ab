using k8s;
using Kaito.CrdBridge.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Watching;

/// <summary>Creates <see cref="ResourceWatcher"/>s that share one client, the options, the clock and the jitter source.</summary>
public sealed class ResourceWatcherFactory
{
    private readonly KubernetesListWatchClient _client;
    private readonly CrdBridgeOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly Random _random;

    /// <param name="client">A <see cref="Kubernetes"/> client (its HttpClient carries the watches).</param>
    /// <param name="random">Jitter source; <see cref="Random.Shared"/> when null.</param>
    public ResourceWatcherFactory(IKubernetes client, IOptions<CrdBridgeOptions> options, TimeProvider clock, ILoggerFactory loggers, Random? random = null)
    {
        _client = new KubernetesListWatchClient(client);
        _options = options.Value;
        _clock = clock;
        _loggers = loggers;
        _random = random ?? Random.Shared;
    }

    public ResourceWatcher Create(WatchedResource resource) =>
        new(_client, resource, _options, _clock, _random, _loggers.CreateLogger<ResourceWatcher>());
}
