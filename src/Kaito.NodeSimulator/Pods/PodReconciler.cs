using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.NodeSimulator.Addresses;
using Kaito.NodeSimulator.LocalRuntimes;
using Kaito.NodeSimulator.Nodes;
using Kaito.NodeSimulator.Watching;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.Pods;

/// <summary>
/// The simulated kubelet: writes the status of each pod bound to a simulated node (through pods/status) and finishes
/// the deletion of pods that are terminating there, as a kubelet does once their containers stopped. With
/// <paramref name="runtimes"/>, each inference pod gets a real runtime process: its address goes on the pod
/// (<see cref="SimulatorAnnotations.LocalEndpoint"/>) and its model container's status follows the process.
/// </summary>
internal sealed partial class PodReconciler(
    IKubernetes client,
    ObjectCache<V1Pod> pods,
    ObjectCache<V1Node> nodes,
    AddressPool addresses,
    NodeSimulatorOptions options,
    RuntimeSupervisor? runtimes,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, DateTime> _lastRestart = new(StringComparer.Ordinal);

    public static string AddressOwner(V1Pod pod) => "pod/" + pod.Metadata.Uid;

    /// <summary>Bookkeeping when the watch sees a pod: keep its address reserved while it lives.</summary>
    public void Observe(V1Pod? old, V1Pod? current)
    {
        if (current is null && old is not null)
        {
            addresses.Release(AddressOwner(old));
            _lastRestart.TryRemove(old.Metadata.Uid, out _);
            StopRuntime(old);
        }
        else if (current is not null && current.Spec?.HostNetwork != true)
        {
            addresses.Reserve(AddressOwner(current), current.Status?.PodIP);
        }
    }

    public bool IsCrashLooping(V1Pod pod) => PodModes.Of(pod) != PodMode.Healthy && OnSimulatedNode(pod, out _);

    public async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (!pods.TryGet(key, out var pod) || !OnSimulatedNode(pod, out var node))
        {
            return;
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            if (runtimes is not null)
            {
                await runtimes.StopAsync(pod.Metadata.Uid);
            }

            await DeleteNowAsync(pod, cancellationToken);
            return;
        }

        var hostIp = NodeTemplate.InternalIp(node);
        if (hostIp is null)
        {
            return; // the node's status is not reported yet; its update queues this pod again
        }

        RuntimeSnapshot? runtime = null;
        if (runtimes is not null)
        {
            if (!ServesRuntime(pod))
            {
                await runtimes.StopAsync(pod.Metadata.Uid);
            }
            else if ((runtime = runtimes.Ensure(pod, key, pod.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount ?? 0)) is null)
            {
                return; // its process is being started; the runtime queues this pod again when it is
            }
            else if (!await AnnotateEndpointAsync(pod, runtime.Endpoint, cancellationToken))
            {
                return;
            }
        }

        var podIp = pod.Spec.HostNetwork == true ? hostIp : addresses.Allocate(AddressOwner(pod));
        var now = Now();
        var restartAgain = _lastRestart.TryGetValue(pod.Metadata.Uid, out var last) && now - last >= options.CrashLoopRestartInterval;
        var desired = PodStatusBuilder.Desired(pod, hostIp, podIp, now, restartAgain, runtime);
        if (desired is null || PodStatusBuilder.SameState(pod.Status, desired))
        {
            return;
        }

        if (desired.ContainerStatuses.Sum(c => c.RestartCount) != (pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0))
        {
            _lastRestart[pod.Metadata.Uid] = now;
        }

        var patch = new V1Patch(KubernetesJson.Serialize(new { status = desired }), V1Patch.PatchType.MergePatch);
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            LogStatus(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, desired.Phase, desired.ContainerStatuses.All(c => c.Ready == true), podIp);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Healthy inference pods get a runtime; a crash-loop annotation keeps the simulated behaviour.</summary>
    private static bool ServesRuntime(V1Pod pod) => InferencePods.Serve(pod) && PodModes.Of(pod) == PodMode.Healthy && pod.Status?.Phase is not ("Succeeded" or "Failed");

    private void StopRuntime(V1Pod pod)
    {
        if (runtimes is not null)
        {
            _ = runtimes.StopAsync(pod.Metadata.Uid).ContinueWith(
                t => LogStopFailed(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, t.Exception!),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }
    }

    /// <summary>Puts the runtime's address on the pod before its status says Ready; false when the pod is gone.</summary>
    private async Task<bool> AnnotateEndpointAsync(V1Pod pod, string endpoint, CancellationToken cancellationToken)
    {
        if (pod.Metadata.Annotations?.TryGetValue(SimulatorAnnotations.LocalEndpoint, out var current) == true && current == endpoint)
        {
            return true;
        }

        var patch = new V1Patch(
            KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [SimulatorAnnotations.LocalEndpoint] = endpoint } } }),
            V1Patch.PatchType.MergePatch);
        try
        {
            await client.CoreV1.PatchNamespacedPodAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private bool OnSimulatedNode(V1Pod pod, out V1Node node)
    {
        node = null!;
        return pod.Spec?.NodeName is { Length: > 0 } name && nodes.TryGet(name, out node) && NodeTemplate.IsSimulated(node);
    }

    private async Task DeleteNowAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } };
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, options, gracePeriodSeconds: 0, cancellationToken: cancellationToken);
            LogDeleted(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
        catch (JsonException)
        {
            // The 1.20 server's answer did not read as a Pod; the delete went through.
        }
    }

    private DateTime Now()
    {
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Namespace}/{Name}: {Phase}, ready {Ready}, IP {PodIp}")]
    private static partial void LogStatus(ILogger logger, string @namespace, string name, string phase, bool ready, string podIp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: stopping its runtime failed")]
    private static partial void LogStopFailed(ILogger logger, string @namespace, string name, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Namespace}/{Name} terminated on its simulated node; deleted")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string name);
}
