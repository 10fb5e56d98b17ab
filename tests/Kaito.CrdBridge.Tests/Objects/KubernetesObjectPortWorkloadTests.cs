using k8s;
using k8s.Models;
using Kaito.Grains.Ports;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>What the port reads back from workloads and their pods. There is no kubelet or controller: the tests write
/// status through the status subresource, as those would.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesObjectPortWorkloadTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly PortTestBed _bed = new(kube, "workload");

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_deployment_is_ready_only_once_its_controller_has_seen_the_current_spec()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "ready");
        var target = PortTestBed.Ref(workspace, KubernetesKinds.Deployment);
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment));
        var before = await _bed.Port.GetWorkloadAsync(target);

        await PatchDeploymentStatusAsync("ready", observedGeneration: 1, ready: 1, updated: 1);
        var ready = await _bed.Port.GetWorkloadAsync(target);
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment, revision: 2));
        var newRevision = await _bed.Port.GetWorkloadAsync(target);

        Assert.Equal((0, 1), (before!.ReadyReplicas, before.DesiredReplicas));
        Assert.Equal((1, 1, (string?)null), (ready!.ReadyReplicas, ready.DesiredReplicas, ready.ProblemReason));
        Assert.Equal(0, newRevision!.ReadyReplicas);
    }

    [Fact]
    public async Task A_statefulset_reports_its_ready_replicas()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "ranks");
        var intent = PortTestBed.Intent(workspace, KubernetesKinds.StatefulSet);
        await _bed.Port.ApplyAsync(intent with { Spec = intent.Spec with { Distributed = true, NodeCount = 2 } });
        await _bed.Client.AppsV1.PatchNamespacedStatefulSetStatusAsync(
            MergePatch("""{"status":{"observedGeneration":1,"replicas":2,"readyReplicas":1,"updatedReplicas":2}}"""), "ranks", _bed.Namespace);

        var observed = await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.StatefulSet));

        Assert.Equal((1, 2), (observed!.ReadyReplicas, observed.DesiredReplicas));
    }

    [Fact]
    public async Task A_crash_loop_after_an_oom_kill_is_reported_as_oom_killed_with_the_pod_and_restarts()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "oom");
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment));
        await CreatePodAsync("oom-7d9f-abcde", "oom", """
            {"name":"oom","image":"x","imageID":"","ready":false,"restartCount":4,
             "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 2m40s restarting failed container"}},
             "lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}
            """);

        var observed = await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Deployment));

        Assert.Equal("OOMKilled", observed!.ProblemReason);
        Assert.Equal("pod oom-7d9f-abcde: container oom (restarts 4): OOMKilled: exit code 137", observed.ProblemMessage);
    }

    [Fact]
    public async Task An_image_pull_back_off_is_reported_with_the_kubelets_message()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "pull");
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Deployment));
        await CreatePodAsync("pull-1", "pull", """
            {"name":"pull","image":"x","imageID":"","ready":false,"restartCount":0,
             "state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"x\""}}}
            """);
        await CreatePodAsync("pull-2", "pull", """{"name":"pull","image":"x","imageID":"","ready":true,"restartCount":0,"state":{"running":{}}}""");

        var observed = await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Deployment));

        Assert.Equal("ImagePullBackOff", observed!.ProblemReason);
        Assert.Equal("pod pull-1: container pull (restarts 0): ImagePullBackOff: Back-off pulling image \"x\"", observed.ProblemMessage);
    }

    [Fact]
    public async Task A_job_is_active_then_succeeded_as_its_status_says()
    {
        var workspace = await _bed.CreateWorkspaceAsync("tuning-phi-3.yaml", "job-ok");
        var target = PortTestBed.Ref(workspace, KubernetesKinds.Job);
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Job));
        var created = await _bed.Port.GetWorkloadAsync(target);

        await PatchJobStatusAsync("job-ok", """{"status":{"active":1,"startTime":"2026-01-01T00:00:00Z"}}""");
        var active = await _bed.Port.GetWorkloadAsync(target);
        await PatchJobStatusAsync("job-ok", """
            {"status":{"active":0,"succeeded":1,"completionTime":"2026-01-01T01:00:00Z",
             "conditions":[{"type":"Complete","status":"True","lastProbeTime":"2026-01-01T01:00:00Z","lastTransitionTime":"2026-01-01T01:00:00Z"}]}}
            """);
        var done = await _bed.Port.GetWorkloadAsync(target);

        Assert.Equal((false, false, false), (created!.JobActive, created.JobSucceeded, created.JobFailed));
        Assert.Equal((true, false), (active!.JobActive, active.JobSucceeded));
        Assert.Equal((false, true, false), (done!.JobActive, done.JobSucceeded, done.JobFailed));
    }

    [Fact]
    public async Task A_failed_job_reports_its_condition_reason_and_message()
    {
        var workspace = await _bed.CreateWorkspaceAsync("tuning-phi-3.yaml", "job-failed");
        await _bed.Port.ApplyAsync(PortTestBed.Intent(workspace, KubernetesKinds.Job));
        await PatchJobStatusAsync("job-failed", """
            {"status":{"failed":1,"startTime":"2026-01-01T00:00:00Z",
             "conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit",
                            "lastProbeTime":"2026-01-01T01:00:00Z","lastTransitionTime":"2026-01-01T01:00:00Z"}]}}
            """);

        var observed = await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Job));

        Assert.True(observed!.JobFailed);
        Assert.Equal("BackoffLimitExceeded: Job has reached the specified backoff limit", observed.JobFailureMessage);
    }

    [Fact]
    public async Task A_workload_that_does_not_exist_is_null()
    {
        var workspace = await _bed.CreateWorkspaceAsync("inference-phi-3.yaml", "absent");

        Assert.Null(await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Deployment)));
        Assert.Null(await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.StatefulSet)));
        Assert.Null(await _bed.Port.GetWorkloadAsync(PortTestBed.Ref(workspace, KubernetesKinds.Job)));
    }

    private static V1Patch MergePatch(string json) => new(json, V1Patch.PatchType.MergePatch);

    private Task PatchDeploymentStatusAsync(string name, int observedGeneration, int ready, int updated) =>
        _bed.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            MergePatch($$$"""{"status":{"observedGeneration":{{{observedGeneration}}},"replicas":1,"readyReplicas":{{{ready}}},"updatedReplicas":{{{updated}}}}}"""),
            name, _bed.Namespace);

    private Task PatchJobStatusAsync(string name, string json) =>
        _bed.Client.BatchV1.PatchNamespacedJobStatusAsync(MergePatch(json), name, _bed.Namespace);

    /// <summary>A pod of the workspace with the container status a kubelet would write.</summary>
    private async Task CreatePodAsync(string name, string workspaceName, string containerStatusJson)
    {
        await _bed.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kaito.sh/workspace"] = workspaceName } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = workspaceName, Image = "x" }] },
            },
            _bed.Namespace);
        await _bed.Client.CoreV1.PatchNamespacedPodStatusAsync(
            MergePatch($$$"""{"status":{"phase":"Running","containerStatuses":[{{{containerStatusJson}}}]}}"""), name, _bed.Namespace);
    }
}
