using k8s;
using Kaito.CrdBridge.Hosting;
using Kaito.CrdBridge.Watching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Fast options and factories for watcher tests: short backoffs, one namespace.</summary>
public static class TestBridge
{
    public static IOptions<CrdBridgeOptions> Options(string? ns, Action<CrdBridgeOptions>? tweak = null)
    {
        var options = new CrdBridgeOptions
        {
            Namespace = ns,
            BackoffBase = TimeSpan.FromMilliseconds(50),
            BackoffCap = TimeSpan.FromMilliseconds(500),
            MissingResourceRetry = TimeSpan.FromMilliseconds(200),
            WatchTimeout = TimeSpan.FromSeconds(30),
        };
        tweak?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static ResourceWatcherFactory Watchers(IKubernetes client, IOptions<CrdBridgeOptions> options) =>
        new(client, options, TimeProvider.System, NullLoggerFactory.Instance, new Random(7));

    public static Kubernetes Client(KubeApiServerFixture kube, params DelegatingHandler[] handlers) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kube.KubeconfigPath), handlers);
}
