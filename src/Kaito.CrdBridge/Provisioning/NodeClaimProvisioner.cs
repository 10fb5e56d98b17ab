using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>
/// One Karpenter NodeClaim (or legacy Machine) per machine, named like the machine; Karpenter or gpu-provisioner turns
/// it into a cloud node. The node is the one the NodeClaim's <c>status.nodeName</c> names.
/// </summary>
public sealed partial class NodeClaimProvisioner : INodeProvisioner
{
    /// <summary>Upstream's launch failure that no retry can fix (the SKU has no capacity or quota anywhere).</summary>
    public const string InstanceTypesUnavailable = "all requested instance types were unavailable during launch";

    private const string AwaitingReconciliation = "AwaitingReconciliation";

    private readonly IKubernetes _client;
    private readonly NodeProvisionerOptions _options;
    private readonly KarpenterResource _resource;
    private readonly ILogger<NodeClaimProvisioner> _logger;

    public NodeClaimProvisioner(IKubernetes client, IOptions<NodeProvisionerOptions> options, ILogger<NodeClaimProvisioner> logger)
    {
        _client = client;
        _options = options.Value;
        _resource = _options.Kind == NodeProvisionerKind.Machine ? KarpenterResource.Machine : KarpenterResource.NodeClaim;
        _logger = logger;
    }

    public async Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default)
    {
        var body = _resource == KarpenterResource.Machine
            ? KarpenterManifests.Machine(machineName, spec)
            : KarpenterManifests.NodeClaim(machineName, spec, _options);
        try
        {
            await _client.CustomObjects.CreateClusterCustomObjectAsync(body, _resource.Group, _resource.Version, _resource.Plural, cancellationToken: cancellationToken);
            LogCreated(_resource.Kind, machineName, spec.InstanceType);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Creating a cluster-scoped object can only be "not found" when the resource itself is not served.
            throw new NodeProvisioningException("NodeClaimCRDMissing",
                $"The cluster does not serve {_resource.CrdName} {_resource.Version}, so no {_resource.Kind} can be created for machine {machineName}: "
                + $"install Karpenter or gpu-provisioner, or use the BYO provisioner (set {NodeProvisionerOptions.SectionName}:Kind=Byo) to run on nodes you bring.",
                permanent: true);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already created by an earlier attempt. One whose launch failed is cleared so that the next attempt starts afresh.
            var existing = await ReadAsync(machineName, cancellationToken);
            if (existing?["metadata"]?["deletionTimestamp"] is not null)
            {
                // The last attempt's claim is still being torn down: reusing it would wait on a node that never comes.
                throw new NodeProvisioningException("NodeClaimTerminating",
                    $"{_resource.Kind} {machineName} from an earlier attempt is still being deleted; the next attempt creates it again");
            }

            if (existing is not null && LaunchFailure(existing) is { } failure)
            {
                await DeleteNodeAsync(machineName, cancellationToken);
                throw new NodeProvisioningException(failure.Code,
                    $"{_resource.Kind} {machineName} from an earlier attempt failed to launch ({failure.Message}); deleted it so that the next attempt creates it again",
                    failure.Permanent);
            }
        }

        return OperationId(machineName);
    }

    public async Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.CustomObjects.DeleteClusterCustomObjectAsync(_resource.Group, _resource.Version, _resource.Plural, machineName, cancellationToken: cancellationToken);
            LogDeleted(_resource.Kind, machineName);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already, or the CRD is not installed: nothing can hold the deletion up.
        }

        return OperationId(machineName);
    }

    /// <summary>
    /// The node of the machine's NodeClaim; null while the NodeClaim has no node yet, and once the NodeClaim (or its
    /// CRD) is gone. Throws <see cref="NodeProvisioningException"/> with the Launched condition's reason and message
    /// when the launch failed.
    /// </summary>
    public async Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(machineName, cancellationToken) is not { } claim)
        {
            return null;
        }

        var deleting = claim["metadata"]?["deletionTimestamp"] is not null;
        if (!deleting && LaunchFailure(claim) is { } failure)
        {
            throw new NodeProvisioningException(failure.Code, $"{_resource.Kind} {machineName} failed to launch: {failure.Message}", failure.Permanent);
        }

        if (claim["status"]?["nodeName"]?.GetValue<string>() is not { Length: > 0 } nodeName)
        {
            return null;
        }

        V1Node node;
        try
        {
            node = await _client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!deleting)
        {
            node = await GpuNodes.EnsureNvidiaLabelAsync(_client, node, InstanceType(claim), cancellationToken);
        }

        return GpuNodes.Observe(node);
    }

    private string OperationId(string machineName) => $"{_resource.Kind.ToLowerInvariant()}/{machineName}";

    private async Task<JsonObject?> ReadAsync(string machineName, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(_resource.Group, _resource.Version, _resource.Plural, machineName, cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private LaunchFailed? LaunchFailure(JsonObject claim)
    {
        var launched = (claim["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == _resource.LaunchedCondition);
        if (launched?["status"]?.GetValue<string>() != "False")
        {
            return null;
        }

        var reason = launched["reason"]?.GetValue<string>() is { Length: > 0 } r ? r : "LaunchFailed";
        var message = launched["message"]?.GetValue<string>() ?? "";
        return reason == AwaitingReconciliation
            ? null
            : new LaunchFailed(reason, message, message.Contains(InstanceTypesUnavailable, StringComparison.Ordinal));
    }

    private static string? InstanceType(JsonObject claim) =>
        (claim["spec"]?["requirements"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(r => r["key"]?.GetValue<string>() == KarpenterManifests.InstanceTypeLabel)?["values"]?[0]?.GetValue<string>();

    private sealed record LaunchFailed(string Code, string Message, bool Permanent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Kind} {MachineName} for {InstanceType}")]
    private partial void LogCreated(string kind, string machineName, string instanceType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Kind} {MachineName}")]
    private partial void LogDeleted(string kind, string machineName);
}
