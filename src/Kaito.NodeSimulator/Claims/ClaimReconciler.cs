using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.NodeSimulator.Nodes;
using Kaito.NodeSimulator.Watching;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.Claims;

/// <summary>
/// Does what Karpenter + gpu-provisioner do for one NodeClaim (or Machine): launch a node (or fail to, with the
/// reason in the Launched condition), register it, report the claim Ready; on deletion delete the node, then let the
/// claim go by removing the termination finalizer.
/// </summary>
internal sealed partial class ClaimReconciler(
    IKubernetes client,
    ClaimKind kind,
    ObjectCache<ClaimObject> claims,
    ObjectCache<V1Node> nodes,
    NodeRegistrar registrar,
    NodeSimulatorOptions options,
    ILogger logger)
{
    /// <summary>The finalizer Karpenter puts on a claim so its node goes first; the simulator owns it.</summary>
    public const string TerminationFinalizer = "karpenter.sh/termination";

    private static readonly string[] LaunchConditions = ["Launched", "Registered", "Initialized", "Ready"];

    // Claims (by uid) launched by this process, so a watch event that predates the status write does not launch twice.
    private readonly HashSet<string> _launched = new(StringComparer.Ordinal);

    public ClaimKind Kind => kind;

    public async Task ReconcileAsync(string name, CancellationToken cancellationToken)
    {
        if (!claims.TryGet(name, out var claim))
        {
            await DeleteNodeAsync(name, cancellationToken);
            return;
        }

        if (claim.Metadata.DeletionTimestamp is not null)
        {
            await DeleteNodeAsync(name, cancellationToken);
            await RemoveFinalizerAsync(claim, cancellationToken);
            return;
        }

        var failure = LaunchFailure.For(claim, options.FailingInstanceTypes);
        if (failure is not null)
        {
            await ReportFailureAsync(claim, failure, cancellationToken);
            return;
        }

        if (_launched.Contains(claim.Metadata.Uid) || (claim.Condition("Registered")?.Status == "True" && claim.Status?.NodeName == name))
        {
            // Launched before: a node that is gone now was lost (or deleted by a test) and stays gone.
            return;
        }

        await AddFinalizerAsync(claim, cancellationToken);
        var node = await registrar.RegisterAsync(name, claim.InstanceType!, NodeLabels(claim), claim.Spec?.Taints, OwnerOf(claim), cancellationToken);
        await ReportLaunchedAsync(claim, node, cancellationToken);
        _launched.Add(claim.Metadata.Uid);
    }

    private static IEnumerable<KeyValuePair<string, string>> NodeLabels(ClaimObject claim)
    {
        // Karpenter labels the node with the claim's labels and each single-valued In requirement.
        foreach (var requirement in claim.Spec?.Requirements ?? [])
        {
            if (requirement.Operator == "In" && requirement.Values is [var value])
            {
                yield return new(requirement.Key, value);
            }
        }

        foreach (var label in claim.Metadata.Labels ?? new Dictionary<string, string>())
        {
            yield return label;
        }

        yield return new("karpenter.sh/registered", "true");
        yield return new("karpenter.sh/initialized", "true");
    }

    private V1OwnerReference OwnerOf(ClaimObject claim) => new()
    {
        ApiVersion = kind.ApiVersion,
        Kind = kind.Kind,
        Name = claim.Metadata.Name,
        Uid = claim.Metadata.Uid,
        BlockOwnerDeletion = true,
    };

    private async Task DeleteNodeAsync(string name, CancellationToken cancellationToken)
    {
        if (nodes.TryGet(name, out var node) && node.Metadata.OwnerReferences?.Any(o => o.Kind == kind.Kind) != true)
        {
            return; // a bring-your-own node of the same name: not this claim's
        }

        await registrar.DeleteAsync(name, cancellationToken);
    }

    private async Task ReportFailureAsync(ClaimObject claim, LaunchFailure failure, CancellationToken cancellationToken)
    {
        var launched = claim.Condition("Launched");
        if (launched is { Status: "False" } && launched.Reason == failure.Reason && launched.Message == failure.Message)
        {
            return;
        }

        var now = Timestamp();
        var conditions = new[]
        {
            new ClaimCondition { Type = "Launched", Status = "False", Reason = failure.Reason, Message = failure.Message, LastTransitionTime = now },
            new ClaimCondition { Type = "Ready", Status = "False", Reason = failure.Reason, Message = failure.Message, LastTransitionTime = now },
        };
        await PatchStatusAsync(claim.Metadata.Name, new { status = new { conditions } }, cancellationToken);
        LogLaunchFailed(logger, kind.Kind, claim.Metadata.Name, failure.Reason, failure.Message);
    }

    private async Task ReportLaunchedAsync(ClaimObject claim, V1Node node, CancellationToken cancellationToken)
    {
        var now = Timestamp();
        var status = new
        {
            providerID = node.Spec?.ProviderID ?? NodeTemplate.ProviderPrefix + node.Metadata.Name,
            nodeName = node.Metadata.Name,
            capacity = node.Status?.Capacity,
            allocatable = node.Status?.Allocatable,
            conditions = LaunchConditions
                .Select(type => new ClaimCondition { Type = type, Status = "True", Reason = type, Message = "", LastTransitionTime = now })
                .ToList(),
        };
        await PatchStatusAsync(claim.Metadata.Name, new { status }, cancellationToken);
        LogLaunched(logger, kind.Kind, claim.Metadata.Name, claim.InstanceType!);
    }

    private Task PatchStatusAsync(string name, object body, CancellationToken cancellationToken) =>
        client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.MergePatch), kind.Group, kind.Version, kind.Plural, name,
            cancellationToken: cancellationToken);

    private async Task AddFinalizerAsync(ClaimObject claim, CancellationToken cancellationToken)
    {
        var finalizers = claim.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(TerminationFinalizer))
        {
            await PatchFinalizersAsync(claim, [.. finalizers, TerminationFinalizer], cancellationToken);
        }
    }

    private async Task RemoveFinalizerAsync(ClaimObject claim, CancellationToken cancellationToken)
    {
        var finalizers = claim.Metadata.Finalizers ?? [];
        if (finalizers.Contains(TerminationFinalizer))
        {
            await PatchFinalizersAsync(claim, finalizers.Where(f => f != TerminationFinalizer).ToList(), cancellationToken);
        }
    }

    private async Task PatchFinalizersAsync(ClaimObject claim, IList<string> finalizers, CancellationToken cancellationToken)
    {
        // resourceVersion in a merge patch makes it conditional: another writer's finalizer is never dropped.
        var body = new { metadata = new { resourceVersion = claim.Metadata.ResourceVersion, finalizers } };
        try
        {
            await client.CustomObjects.PatchClusterCustomObjectAsync(
                new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.MergePatch), kind.Group, kind.Version, kind.Plural,
                claim.Metadata.Name, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private string Timestamp() =>
        options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Name} launched a {InstanceType} node")]
    private static partial void LogLaunched(ILogger logger, string kind, string name, string instanceType);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Name} failed to launch: {Reason}: {Message}")]
    private static partial void LogLaunchFailed(ILogger logger, string kind, string name, string reason, string message);
}
