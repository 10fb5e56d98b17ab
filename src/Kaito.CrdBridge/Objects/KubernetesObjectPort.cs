using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.CrdBridge.Manifests;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging;

namespace Kaito.CrdBridge.Objects;

/// <summary>
/// The Workspace grain's hands in the cluster: applies the objects <see cref="WorkspaceManifestBuilder"/> builds with
/// server-side apply (field manager <c>kaito</c>, forced), deletes them, reads workloads back and keeps the finalizer.
/// Workloads and their pods are read from the bridge's <see cref="WorkloadCache"/> when it holds them.
/// </summary>
public sealed partial class KubernetesObjectPort(IKubernetes client, WorkspaceManifestBuilder manifests, ILogger<KubernetesObjectPort> logger,
    WorkloadCache? cache = null, WorkspaceObjectCache? workspaces = null, ObjectWritePriority? priority = null)
    : IKubernetesObjectPort
{
    public const string FieldManager = "kaito";

    private readonly WorkspaceFinalizer _finalizer = new(client, workspaces);

    public async Task ApplyAsync(KubernetesObjectIntent intent, CancellationToken cancellationToken = default)
    {
        using var foreground = priority?.BeginForeground();
        var desired = manifests.Build(intent);
        if (intent.Target.Kind == KubernetesKinds.Job && manifests.BuildDefaultTuningConfig(intent) is { } config)
        {
            await EnsureExistsAsync(config, cancellationToken);
        }

        var resource = KubeResource.For(intent.Target.Kind);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(desired, V1Patch.PatchType.ApplyPatch),
            resource.Group, resource.Version, intent.Target.Namespace, resource.Plural, intent.Target.Name,
            fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
        LogApplied(intent.Target.ToString(), intent.Revision, intent.Spec.ShortHash);

        // One ControllerRevision per revision number at most, so there is nothing to prune until there are more than 10.
        if (intent.Target.Kind == KubernetesKinds.ControllerRevision && intent.Revision > ControllerRevisionManifest.HistoryLimit)
        {
            await PruneRevisionsAsync(intent.Target.Namespace, WorkspaceKey.Parse(intent.WorkspaceKey).Name, cancellationToken);
        }
    }

    public async Task DeleteAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default)
    {
        var resource = KubeResource.For(target.Kind);
        try
        {
            // Through the custom-objects API: the typed client cannot read some 1.20 delete answers (docs: envtest.md).
            // Background propagation: a Job's pods go with it (the API's default for Jobs would orphan them).
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                resource.Group, resource.Version, target.Namespace, resource.Plural, target.Name,
                new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken);
            LogDeleted(target.ToString());
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: what was asked for.
        }
    }

    public async Task<WorkloadObservation?> GetWorkloadAsync(KubernetesObjectReference target, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (target.Kind)
            {
                case KubernetesKinds.Deployment:
                    var deployment = cache?.Find<V1Deployment>("deployments", target.Namespace, target.Name)
                        ?? await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: cancellationToken);
                    return await WithPodProblemAsync(target, WorkloadObservations.Replicas(
                        deployment.Metadata, deployment.Spec?.Replicas, deployment.Status?.ObservedGeneration,
                        deployment.Status?.ReadyReplicas, deployment.Status?.UpdatedReplicas), cancellationToken);
                case KubernetesKinds.StatefulSet:
                    var statefulSet = cache?.Find<V1StatefulSet>("statefulsets", target.Namespace, target.Name)
                        ?? await client.AppsV1.ReadNamespacedStatefulSetAsync(target.Name, target.Namespace, cancellationToken: cancellationToken);
                    return await WithPodProblemAsync(target, WorkloadObservations.Replicas(
                        statefulSet.Metadata, statefulSet.Spec?.Replicas, statefulSet.Status?.ObservedGeneration,
                        statefulSet.Status?.ReadyReplicas, statefulSet.Status?.UpdatedReplicas), cancellationToken);
                case KubernetesKinds.Job:
                    var job = cache?.Find<V1Job>("jobs", target.Namespace, target.Name)
                        ?? await client.BatchV1.ReadNamespacedJobAsync(target.Name, target.Namespace, cancellationToken: cancellationToken);
                    var jobPods = await PodsAsync(target, cancellationToken);
                    return WorkloadObservations.Job(job, PodProblems.Find(jobPods)) with { ScheduledPods = PodProblems.Scheduled(jobPods) };
                default:
                    throw new ArgumentException($"{target} is not a workload", nameof(target));
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Looks at the pods (a problem, how many are scheduled) only while some replica is not ready: a problem pod is never
    /// ready, a ready pod is scheduled, and when every replica is ready, listing the workload's pods (a label-filtered
    /// list over the namespace) would be paid for nothing.
    /// </summary>
    private async Task<WorkloadObservation> WithPodProblemAsync(KubernetesObjectReference target, WorkloadObservation replicas,
        CancellationToken cancellationToken)
    {
        if (replicas.ReadyReplicas >= replicas.DesiredReplicas && replicas.DesiredReplicas > 0)
        {
            return replicas with { ScheduledPods = replicas.ReadyReplicas };
        }

        var pods = await PodsAsync(target, cancellationToken);
        var observed = replicas with { ScheduledPods = PodProblems.Scheduled(pods) };
        return PodProblems.Find(pods) is { } problem
            ? observed with { ProblemReason = problem.Reason, ProblemMessage = problem.Message }
            : observed;
    }

    public async Task EnsureFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default)
    {
        if (!await _finalizer.EnsureAsync(workspaceNamespace, workspaceName, cancellationToken))
        {
            LogFinalizerSkipped(workspaceNamespace, workspaceName);
        }
    }

    public Task RemoveFinalizerAsync(string workspaceNamespace, string workspaceName, CancellationToken cancellationToken = default) =>
        _finalizer.RemoveAsync(workspaceNamespace, workspaceName, cancellationToken);

    /// <summary>Creates the object unless one of that name exists: a user's edits to a shared default are kept.</summary>
    private async Task EnsureExistsAsync(V1ConfigMap config, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(config, config.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: cancellationToken);
            LogCreated($"ConfigMap {config.Metadata.NamespaceProperty}/{config.Metadata.Name}");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there.
        }
    }

    /// <summary>Upstream keeps the newest ten revisions of a workspace.</summary>
    private async Task PruneRevisionsAsync(string ns, string workspaceName, CancellationToken cancellationToken)
    {
        var revisions = await client.AppsV1.ListNamespacedControllerRevisionAsync(
            ns, labelSelector: $"{KaitoLabels.WorkspaceName}={workspaceName}", cancellationToken: cancellationToken);
        var old = revisions.Items
            .OrderByDescending(r => r.Revision)
            .ThenByDescending(r => r.Metadata.CreationTimestamp)
            .Skip(ControllerRevisionManifest.HistoryLimit);
        foreach (var revision in old)
        {
            await DeleteAsync(new KubernetesObjectReference(KubernetesKinds.ControllerRevision, ns, revision.Metadata.Name), cancellationToken);
        }
    }

    private async Task<IReadOnlyList<V1Pod>> PodsAsync(KubernetesObjectReference target, CancellationToken cancellationToken) =>
        cache?.PodsOf(target.Namespace, target.Name)
            ?? [.. (await client.CoreV1.ListNamespacedPodAsync(
                target.Namespace, labelSelector: $"{KaitoLabels.WorkspaceName}={target.Name}", cancellationToken: cancellationToken)).Items];

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Target} for revision {Revision} ({RevisionHash})")]
    private partial void LogApplied(string target, int revision, string revisionHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Target}")]
    private partial void LogDeleted(string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Target}")]
    private partial void LogCreated(string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finalizer not added to Workspace {Namespace}/{Name}: it does not exist or is being deleted")]
    private partial void LogFinalizerSkipped(string @namespace, string name);
}
