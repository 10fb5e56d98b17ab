using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.Catalog;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>
/// Bring your own nodes: a machine claims one existing Node that matches the workspace's labelSelector by labelling it
/// <c>kaito.sh/machine=&lt;machine&gt;</c> (guarded by the node's resourceVersion, so two machines never take the same
/// node) and releases it on deletion. The claim lives on the Node, so it survives silo restarts. Never creates or
/// deletes a node. Lists are served from the API server's watch cache (resourceVersion 0: a list over every node costs
/// the server no etcd read), and a node this silo claimed is read back by name: a stale list can only cost a conflict
/// on the claim, which the resourceVersion guards, and "no free node" is only said after a list from etcd agrees.
/// </summary>
public sealed partial class ByoNodeProvisioner(IKubernetes client, SkuCatalog skus, ILogger<ByoNodeProvisioner> logger) : IExistingNodeProvisioner
{
    /// <summary>The label that says which machine holds a node.</summary>
    public const string MachineLabel = "kaito.sh/machine";

    private const int ClaimTries = 3;

    /// <summary>The served-from-cache list: any version the server has, never older than what its cache has seen.</summary>
    private const string FromWatchCache = "0";

    /// <summary>The node each machine claimed through this silo: read back by name instead of listed by label.</summary>
    private readonly ConcurrentDictionary<string, string> _claims = new(StringComparer.Ordinal);

    /// <summary>
    /// The node as the claim (or the list that found it) returned it, for the machine's first look right after: that
    /// answer is as fresh as a read would be. Taken once; every later look reads the node again.
    /// </summary>
    private readonly ConcurrentDictionary<string, V1Node> _justClaimed = new(StringComparer.Ordinal);

    public async Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default)
    {
        if (_claims.ContainsKey(machineName) && await ClaimedAsync(machineName, cancellationToken) is { } remembered)
        {
            return OperationId(remembered.Metadata.Name);
        }

        var selector = Selector(spec.NodeSelector);
        var needsGpu = skus.HasGpus(spec.InstanceType);
        ByoNodeCandidates candidates = null!;

        // The cached list is almost always current; before saying no node is free, ask etcd itself. One list serves
        // both questions: a node this machine claimed before (a retry, or a restarted silo) matches the selector too.
        foreach (var version in new[] { FromWatchCache, null })
        {
            var matching = await client.CoreV1.ListNodeAsync(labelSelector: selector, resourceVersion: version, cancellationToken: cancellationToken);
            if (matching.Items.Where(n => ClaimOf(n) == machineName).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).FirstOrDefault() is { } held)
            {
                Remember(machineName, held);
                return OperationId(held.Metadata.Name);
            }

            candidates = ByoNodeCandidates.From(matching.Items, spec.PreferredNodes, needsGpu);
            foreach (var node in candidates.Free)
            {
                if (await TryClaimAsync(node, machineName, cancellationToken) is { } claimed)
                {
                    Remember(machineName, claimed);
                    LogClaimed(machineName, claimed.Metadata.Name);
                    return OperationId(claimed.Metadata.Name);
                }
            }
        }

        // A node claimed earlier whose labels no longer match the selector is still this machine's.
        if (await ClaimedAsync(machineName, cancellationToken) is { } relabelled)
        {
            return OperationId(relabelled.Metadata.Name);
        }

        throw new NodeProvisioningException("NoMatchingNodes", NoNodesMessage(spec, selector, needsGpu, candidates));
    }

    public async Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        _claims.TryRemove(machineName, out _);
        _justClaimed.TryRemove(machineName, out _);
        var held = await client.CoreV1.ListNodeAsync(labelSelector: $"{MachineLabel}={machineName}", cancellationToken: cancellationToken);
        foreach (var node in held.Items)
        {
            try
            {
                await client.CoreV1.PatchNodeAsync(GpuNodes.LabelPatch(MachineLabel, null), node.Metadata.Name, cancellationToken: cancellationToken);
                LogReleased(machineName, node.Metadata.Name);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // The node went away: nothing left to release.
            }
        }

        return $"release/{machineName}";
    }

    public async Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default) =>
        await ClaimedAsync(machineName, cancellationToken) is { } node ? GpuNodes.Observe(node) : null;

    internal static string? ClaimOf(V1Node node) =>
        node.Metadata.Labels?.TryGetValue(MachineLabel, out var machine) == true ? machine : null;

    private static string OperationId(string nodeName) => $"node/{nodeName}";

    private static string Selector(IReadOnlyDictionary<string, string> matchLabels) =>
        string.Join(",", matchLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static string NoNodesMessage(MachineSpecRecord spec, string selector, bool needsGpu, ByoNodeCandidates found)
    {
        var what = needsGpu ? " with nvidia.com/gpu capacity" : "";
        var need = spec.WorkspaceNodeCount > 0
            ? $"the workspace needs {spec.WorkspaceNodeCount}, this machine needs 1"
            : "this machine needs 1";
        return $"found {found.Usable} ready node(s) matching the labelSelector {{{selector}}}{what}, {found.Taken} of them taken by other machines; "
            + $"{need} ({found.Matching} node(s) match the labels in all). Label more ready {(needsGpu ? "GPU " : "")}nodes or free some.";
    }

    private void Remember(string machineName, V1Node node)
    {
        _claims[machineName] = node.Metadata.Name;
        _justClaimed[machineName] = node;
    }

    private async Task<V1Node?> ClaimedAsync(string machineName, CancellationToken cancellationToken)
    {
        if (_justClaimed.TryRemove(machineName, out var fresh) && ClaimOf(fresh) == machineName)
        {
            return fresh;
        }

        if (_claims.TryGetValue(machineName, out var nodeName))
        {
            try
            {
                var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
                if (ClaimOf(node) == machineName)
                {
                    return node;
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone: look for the claim by label as if never remembered.
            }

            _claims.TryRemove(new KeyValuePair<string, string>(machineName, nodeName));
        }

        var held = await client.CoreV1.ListNodeAsync(labelSelector: $"{MachineLabel}={machineName}", resourceVersion: FromWatchCache,
            cancellationToken: cancellationToken);
        var claimed = held.Items.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
        if (claimed is not null)
        {
            _claims[machineName] = claimed.Metadata.Name;
        }

        return claimed;
    }

    /// <summary>Labels the node for the machine unless another machine got there first; the resourceVersion decides.</summary>
    private async Task<V1Node?> TryClaimAsync(V1Node node, string machineName, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ClaimTries; attempt++)
        {
            var claim = GpuNodes.LabelPatch(MachineLabel, machineName, node.Metadata.ResourceVersion);
            try
            {
                return await client.CoreV1.PatchNodeAsync(claim, node.Metadata.Name, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Changed since listed (a heartbeat, or another machine's claim): look again.
                node = await client.CoreV1.ReadNodeAsync(node.Metadata.Name, cancellationToken: cancellationToken);
                if (ClaimOf(node) is { } holder)
                {
                    return holder == machineName ? node : null;
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineName} claimed node {NodeName}")]
    private partial void LogClaimed(string machineName, string nodeName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineName} released node {NodeName}")]
    private partial void LogReleased(string machineName, string nodeName);
}
