using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kaito.Grains.Machines;
using Kaito.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>
/// One AKS agent pool per machine through Azure Resource Manager, without gpu-provisioner: the pool is named after the
/// machine (<see cref="AgentPoolNames"/>), shaped by <see cref="AgentPoolManifest"/>, and created after a quota check.
/// Create and delete return operation ids the Machine grain records and polls through
/// <see cref="GetOperationAsync"/>; the node is the one AKS labels <c>agentpool=&lt;pool&gt;</c>.
/// </summary>
public sealed partial class AgentPoolProvisioner : INodeProvisioner, INodeOperationTracker
{
    public const string PoolNotFoundCode = "AgentPoolNotFound";
    public const string PoolDeletingCode = "AgentPoolDeleting";

    /// <summary>ARM's answer to a second PUT while the first create runs (gpu-provisioner treats it as "already creating").</summary>
    private const string CreateInProgress = "in progress create node pool operation";

    private readonly AgentPoolArmClient _arm;
    private readonly AgentPoolQuota _quota;
    private readonly IKubernetes _kubernetes;
    private readonly AgentPoolOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<AgentPoolProvisioner> _logger;
    private readonly ConcurrentDictionary<string, (DateTimeOffset NotBefore, NodeOperationStatus Last)> _polls = new(StringComparer.Ordinal);

    public AgentPoolProvisioner(AgentPoolArmClient arm, IKubernetes kubernetes, AgentPoolOptions options, TimeProvider clock, ILogger<AgentPoolProvisioner> logger)
    {
        _arm = arm;
        _quota = new AgentPoolQuota(arm, options);
        _kubernetes = kubernetes;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public async Task<string> CreateNodeAsync(string machineName, MachineSpecRecord spec, CancellationToken cancellationToken = default)
    {
        var pool = AgentPoolNames.For(machineName);
        try
        {
            if (await _arm.GetPoolAsync(pool, cancellationToken) is { } existing)
            {
                return Existing(pool, existing).ToString();
            }

            if (_options.CheckQuota)
            {
                await _quota.EnsureRoomAsync(spec.InstanceType, cancellationToken);
            }

            var start = await _arm.PutPoolAsync(pool, AgentPoolManifest.Build(machineName, spec, _options, _clock.GetUtcNow()), cancellationToken);
            var id = AgentPoolOperationId.From(delete: false, pool, start);
            Remember(id, new NodeOperationStatus(NodeOperationState.InProgress), start.RetryAfter);
            LogCreating(machineName, pool, spec.InstanceType, id.Kind);
            return id.ToString();
        }
        catch (ArmRequestException ex) when (ex.ArmMessage.Contains(CreateInProgress, StringComparison.OrdinalIgnoreCase))
        {
            return AgentPoolOperationId.ForPool(delete: false, pool).ToString();
        }
        catch (ArmRequestException ex)
        {
            throw new NodeProvisioningException(ex.Code, ex.ArmMessage, ArmErrors.IsPermanent(ex.Code));
        }
    }

    public async Task<string> DeleteNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        var pool = AgentPoolNames.For(machineName);
        var gone = AgentPoolOperationId.ForPool(delete: true, pool);
        var existing = await _arm.GetPoolAsync(pool, cancellationToken);
        if (existing is null || ProvisioningState(existing) == "Deleting")
        {
            // Already gone (counts as deleted) or already being deleted (a second DELETE would not help).
            return gone.ToString();
        }

        var start = await _arm.DeletePoolAsync(pool, cancellationToken);
        var id = start.Status is 204 or 404 ? gone : AgentPoolOperationId.From(delete: true, pool, start);
        Remember(id, new NodeOperationStatus(NodeOperationState.InProgress), start.RetryAfter);
        LogDeleting(machineName, pool, id.Kind);
        return id.ToString();
    }

    public async Task<NodeOperationStatus> GetOperationAsync(string machineName, string operationId, CancellationToken cancellationToken = default)
    {
        if (_polls.TryGetValue(operationId, out var known) && _clock.GetUtcNow() < known.NotBefore)
        {
            return known.Last; // Retry-After has not run out: ARM asked not to be polled yet.
        }

        var id = AgentPoolOperationId.Parse(operationId);
        var pool = AgentPoolNames.For(machineName);
        NodeOperationStatus status;
        TimeSpan? retryAfter = null;
        try
        {
            if (id.Kind == AgentPoolOperationId.PoolKind)
            {
                status = await PoolStateAsync(pool, id.Delete, cancellationToken);
            }
            else
            {
                var poll = await _arm.PollAsync(new Uri(id.Value), id.Kind == AgentPoolOperationId.LocationKind, cancellationToken);
                retryAfter = poll.RetryAfter;
                status = poll.State switch
                {
                    NodeOperationState.Succeeded when !id.Delete => await PoolStateAsync(pool, delete: false, cancellationToken),
                    NodeOperationState.Failed or NodeOperationState.Canceled => Failure(poll.State, poll.Code ?? "OperationFailed", poll.Message ?? "the operation failed"),
                    _ => new NodeOperationStatus(poll.State),
                };
            }
        }
        catch (ArmRequestException ex) when (ArmErrors.IsPermanent(ex.Code))
        {
            status = Failure(NodeOperationState.Failed, ex.Code, ex.ArmMessage);
        }

        if (known.Last?.State != status.State)
        {
            LogOperation(machineName, id.Delete ? "delete" : "create", status.State, status.ErrorCode, status.ErrorMessage);
        }

        Remember(id, status, retryAfter);
        return status;
    }

    /// <summary>The node AKS registered for the machine's pool (labels <c>agentpool</c> / <c>kubernetes.azure.com/agentpool</c>).</summary>
    public async Task<NodeObservation?> GetNodeAsync(string machineName, CancellationToken cancellationToken = default)
    {
        var pool = AgentPoolNames.For(machineName);
        V1Node? node = null;
        foreach (var label in new[] { AgentPoolLabels.AgentPool, AgentPoolLabels.AksAgentPool })
        {
            var nodes = await _kubernetes.CoreV1.ListNodeAsync(labelSelector: $"{label}={pool}", cancellationToken: cancellationToken);
            node = nodes.Items.Where(n => !GpuNodes.IsDeleting(n)).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
            if (node is not null)
            {
                break;
            }
        }

        if (node is null)
        {
            return null;
        }

        var instanceType = node.Metadata.Labels?.TryGetValue(KarpenterManifests.InstanceTypeLabel, out var type) == true ? type : null;
        node = await GpuNodes.EnsureNvidiaLabelAsync(_kubernetes, node, instanceType, cancellationToken);
        return GpuNodes.Observe(node);
    }

    /// <summary>What a pool found before creating means: already ours (restart), or in a state a new attempt must wait out.</summary>
    private static AgentPoolOperationId Existing(string pool, JsonObject existing) => ProvisioningState(existing) switch
    {
        "Deleting" => throw new NodeProvisioningException(PoolDeletingCode,
            $"Agent pool {pool} from an earlier attempt is still being deleted; the next attempt creates it again"),
        _ => AgentPoolOperationId.ForPool(delete: false, pool),
    };

    /// <summary>A create reads the pool's provisioningState (a missing pool: deleted behind our back); a delete is done once the pool is gone.</summary>
    private async Task<NodeOperationStatus> PoolStateAsync(string pool, bool delete, CancellationToken cancellationToken)
    {
        var existing = await _arm.GetPoolAsync(pool, cancellationToken);
        if (delete)
        {
            return existing is null ? new(NodeOperationState.Succeeded)
                : ProvisioningState(existing) == "Deleting" ? new(NodeOperationState.InProgress)
                : new(NodeOperationState.Failed, "AgentPoolNotDeleted", $"agent pool {pool} is {ProvisioningState(existing)}, not being deleted");
        }

        if (existing is null)
        {
            return new NodeOperationStatus(NodeOperationState.Failed, PoolNotFoundCode,
                $"Agent pool {pool} was deleted outside Kaito" + (_options.RecreateDeletedPools ? "; the next attempt creates it again" : ""),
                Permanent: !_options.RecreateDeletedPools);
        }

        return ProvisioningState(existing) switch
        {
            "Succeeded" => new(NodeOperationState.Succeeded),
            "Failed" => new(NodeOperationState.Failed, "AgentPoolProvisioningFailed", $"Agent pool {pool} is in provisioning state Failed"),
            "Canceled" => new(NodeOperationState.Canceled, "AgentPoolProvisioningCanceled", $"Agent pool {pool} creation was canceled"),
            "Deleting" => new(NodeOperationState.Failed, PoolNotFoundCode, $"Agent pool {pool} is being deleted outside Kaito", Permanent: !_options.RecreateDeletedPools),
            _ => new(NodeOperationState.InProgress),
        };
    }

    private static NodeOperationStatus Failure(NodeOperationState state, string code, string message) =>
        new(state, code, message, ArmErrors.IsPermanent(code));

    private void Remember(AgentPoolOperationId id, NodeOperationStatus status, TimeSpan? retryAfter) =>
        _polls[id.ToString()] = (_clock.GetUtcNow() + (retryAfter ?? _options.DefaultPollInterval), status);

    private static string? ProvisioningState(JsonObject pool) => pool["properties"]?["provisioningState"]?.GetValue<string>();

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineName}: creating agent pool {Pool} ({VmSize}), polling via {Kind}")]
    private partial void LogCreating(string machineName, string pool, string vmSize, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineName}: deleting agent pool {Pool}, polling via {Kind}")]
    private partial void LogDeleting(string machineName, string pool, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineName}: agent pool {Operation} is {State} {Code} {Message}")]
    private partial void LogOperation(string machineName, string operation, NodeOperationState state, string? code, string? message);
}
