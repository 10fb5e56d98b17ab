using System.Text.Json.Nodes;
using k8s;
using Kaito.CrdBridge.Manifests;
using Kaito.CrdBridge.Objects;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>
/// The object port reads workloads and pods from what the watches saw, as a controller's informer would: against an
/// API server that does not answer, a cached Deployment and its pods are still read, and a miss still asks the server.
/// </summary>
public sealed class WorkloadCacheTests
{
    private static readonly IKubernetes Unreachable = new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1", SkipTlsVerify = true });

    private static KubernetesObjectPort Port(WorkloadCache cache) => new(Unreachable,
        new WorkspaceManifestBuilder(Objects.PortTestBed.Catalog, new ManifestOptions()), NullLogger<KubernetesObjectPort>.Instance, cache);

    [Fact]
    public async Task A_cached_deployment_and_its_crash_looping_pod_are_read_without_the_api_server()
    {
        var cache = new WorkloadCache();
        cache.Apply("deployments", Event(ResourceEventType.Added, """
            {"metadata":{"name":"phi","namespace":"ns","generation":2,"labels":{"kaito.sh/workspace":"phi"}},
             "spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"readyReplicas":0,"updatedReplicas":1}}
            """));
        cache.Apply("pods", Event(ResourceEventType.Added, """
            {"metadata":{"name":"phi-0","namespace":"ns","labels":{"kaito.sh/workspace":"phi"}},
             "status":{"containerStatuses":[{"name":"model","image":"m","imageID":"","ready":false,"restartCount":3,
               "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}}}]}}
            """));
        cache.PodsListed();

        var observed = await Port(cache).GetWorkloadAsync(new KubernetesObjectReference(KubernetesKinds.Deployment, "ns", "phi"));

        Assert.Equal((0, 1, "CrashLoopBackOff"), (observed!.ReadyReplicas, observed.DesiredReplicas, observed.ProblemReason));
    }

    [Fact]
    public async Task A_deleted_deployment_leaves_the_cache_and_is_asked_of_the_api_server()
    {
        var cache = new WorkloadCache();
        const string deployment = """{"metadata":{"name":"gone","namespace":"ns"},"spec":{"replicas":1},"status":{}}""";
        cache.Apply("deployments", Event(ResourceEventType.Added, deployment));
        cache.Apply("deployments", Event(ResourceEventType.Deleted, deployment));

        Assert.Null(cache.Find<k8s.Models.V1Deployment>("deployments", "ns", "gone"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Port(cache).GetWorkloadAsync(new KubernetesObjectReference(KubernetesKinds.Deployment, "ns", "gone")));
    }

    [Fact]
    public void Pods_are_unknown_until_the_pod_watch_has_listed_them_then_none_means_none()
    {
        var cache = new WorkloadCache();

        Assert.Null(cache.PodsOf("ns", "phi"));
        cache.PodsListed();
        Assert.Empty(cache.PodsOf("ns", "phi")!);
    }

    private static ResourceEvent Event(ResourceEventType type, string json) => new(type, JsonNode.Parse(json)!.AsObject());
}
