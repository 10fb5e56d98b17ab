using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.NodeSimulator.Addresses;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.Nodes;

/// <summary>Registers a Node as a kubelet would: create the object, then report capacity, address and Ready.</summary>
internal sealed partial class NodeRegistrar(IKubernetes client, SkuCatalog skus, AddressPool addresses, NodeSimulatorOptions options, ILogger logger)
{
    public static string AddressOwner(string node) => "node/" + node;

    public async Task<V1Node> RegisterAsync(
        string name,
        string instanceType,
        IEnumerable<KeyValuePair<string, string>> labels,
        IList<V1Taint>? taints,
        V1OwnerReference? owner,
        CancellationToken cancellationToken)
    {
        var gpus = skus.TryGet(instanceType, out var sku) ? sku.GpuCount : 0;
        var node = NodeTemplate.Node(name, instanceType, labels, taints, gpus, owner);
        try
        {
            await client.CoreV1.CreateNodeAsync(node, cancellationToken: cancellationToken);
            LogCreated(logger, name, instanceType, gpus);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier attempt whose status patch failed: report its status now.
        }

        var ip = addresses.Allocate(AddressOwner(name));
        var now = Now();
        var status = NodeTemplate.Status(instanceType, gpus, options.PodsPerNode, ip, name, now);
        var patch = new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
        var registered = await client.CoreV1.PatchNodeStatusAsync(patch, name, cancellationToken: cancellationToken);
        return await UntaintReadyAsync(registered, cancellationToken);
    }

    /// <summary>
    /// The TaintNodesByCondition admission plugin taints every new node not-ready; the node lifecycle controller (not
    /// run here) removes that taint once the node reports Ready, so the simulator does.
    /// </summary>
    private async Task<V1Node> UntaintReadyAsync(V1Node node, CancellationToken cancellationToken)
    {
        var taints = node.Spec?.Taints ?? [];
        if (!taints.Any(t => t.Key == NotReadyTaint))
        {
            return node;
        }

        var kept = taints.Where(t => t.Key != NotReadyTaint).ToList();
        var body = new { metadata = new { resourceVersion = node.Metadata.ResourceVersion }, spec = new { taints = kept } };
        return await client.CoreV1.PatchNodeAsync(new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.MergePatch), node.Metadata.Name, cancellationToken: cancellationToken);
    }

    private const string NotReadyTaint = "node.kubernetes.io/not-ready";

    /// <summary>Deletes a simulated node; a node that is already gone is fine.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNodeAsync(name, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (JsonException)
        {
            // The 1.20 server answered with a body this client does not read as a Status; the delete went through.
        }

        addresses.Release(AddressOwner(name));
        LogDeleted(logger, name);
    }

    private DateTime Now()
    {
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered node {Node} ({InstanceType}, {Gpus} GPUs)")]
    private static partial void LogCreated(ILogger logger, string node, string instanceType, int gpus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted node {Node}")]
    private static partial void LogDeleted(ILogger logger, string node);
}
