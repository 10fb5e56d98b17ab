using k8s;
using k8s.Models;

namespace Kaito.NodeSimulator.Tests;

/// <summary>Workloads on simulated nodes: the real scheduler binds them, the simulator plays the kubelet.</summary>
[Collection(SimulatedClusterCollection.Name)]
public sealed class WorkloadTests(SimulatedClusterFixture cluster)
{
    private readonly IKubernetes _client = cluster.Client;
    private readonly string _ns = cluster.Namespace;

    [Fact]
    public async Task GpuDeploymentIsScheduledOntoTheSimulatedNodeRunsReadyAndItsServiceGetsThePodIp()
    {
        var (workspace, node) = await LaunchNodeAsync();
        var labels = new Dictionary<string, string> { ["app"] = workspace };
        await _client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = workspace },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = GpuPodSpec(workspace) },
                },
            },
            _ns);
        await _client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = workspace },
                Spec = new V1ServiceSpec { Selector = labels, Ports = [new V1ServicePort { Port = 80, TargetPort = 5000 }] },
            },
            _ns);

        var pod = await Eventually.Get(
            async () => (await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "app=" + workspace)).Items.SingleOrDefault(),
            p => IsReady(p),
            $"pod of deployment {workspace} Ready");
        Assert.Equal(node, pod!.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.StartsWith("192.0.2.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal(pod.Status.PodIP, Assert.Single(pod.Status.PodIPs).Ip);
        Assert.StartsWith("192.0.2.", pod.Status.HostIP, StringComparison.Ordinal);
        Assert.NotNull(pod.Status.StartTime);
        Assert.All(
            new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" },
            type => Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == type).Status));
        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal(0, container.RestartCount);
        Assert.NotNull(container.State.Running?.StartedAt);
        Assert.StartsWith("containerd://", container.ContainerID, StringComparison.Ordinal);
        Assert.Equal("mcr.microsoft.com/aks/kaito/kaito-phi-3:0.0.1", container.Image);
        Assert.False(string.IsNullOrEmpty(container.ImageID));
        Assert.Equal("Completed", Assert.Single(pod.Status.InitContainerStatuses).State.Terminated?.Reason);

        await Eventually.Get(() => _client.AppsV1.ReadNamespacedDeploymentAsync(workspace, _ns), d => d.Status?.ReadyReplicas == 1, $"deployment {workspace} 1 ready");
        await Eventually.Get(
            () => _client.CoreV1.ReadNamespacedEndpointsAsync(workspace, _ns),
            e => e.Subsets?.SingleOrDefault()?.Addresses?.SingleOrDefault()?.Ip == pod.Status.PodIP,
            $"endpoints of {workspace} = {pod.Status.PodIP}");
    }

    [Fact]
    public async Task CrashLoopAnnotationMakesThePodNotReadyWithRestartsAndRemovingItMakesItReadyAgain()
    {
        var (workspace, _) = await LaunchNodeAsync();
        await CreatePodAsync(workspace);
        await Eventually.Get(() => ReadPodAsync(workspace), IsReady, $"pod {workspace} Ready");

        await AnnotateAsync(workspace, "\"true\"");
        var crashing = await Eventually.Get(() => ReadPodAsync(workspace), p => Container(p).State.Waiting is not null, $"pod {workspace} crash-looping");
        var status = Container(crashing);
        Assert.False(IsReady(crashing));
        Assert.Equal("Running", crashing.Status.Phase);
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        Assert.StartsWith($"back-off 5m0s restarting failed container=model pod={workspace}_", status.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal(("Error", 1), (status.LastState.Terminated?.Reason, status.LastState.Terminated?.ExitCode));
        Assert.False(status.Ready);
        Assert.True(status.RestartCount >= 1);
        await Eventually.Get(() => ReadPodAsync(workspace), p => Container(p).RestartCount > status.RestartCount, "restartCount goes up");

        await AnnotateAsync(workspace, "\"oom\"");
        var oom = await Eventually.Get(() => ReadPodAsync(workspace), p => Container(p).LastState.Terminated?.Reason == "OOMKilled", $"pod {workspace} OOMKilled");
        Assert.Equal(137, Container(oom).LastState.Terminated.ExitCode);
        Assert.Equal("CrashLoopBackOff", Container(oom).State.Waiting?.Reason);

        await AnnotateAsync(workspace, "null");
        var recovered = await Eventually.Get(() => ReadPodAsync(workspace), IsReady, $"pod {workspace} Ready again");
        Assert.NotNull(Container(recovered).State.Running);
        Assert.True(Container(recovered).RestartCount >= 2);
    }

    [Fact]
    public async Task JobPodsRunThenSucceedSoTheJobCompletes()
    {
        var (workspace, _) = await LaunchNodeAsync();
        await CreateJobAsync(workspace, outcome: null);

        await Eventually.Get(
            () => _client.BatchV1.ReadNamespacedJobAsync(workspace, _ns),
            j => j.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true,
            $"job {workspace} Complete");
        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "job-name=" + workspace)).Items);
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal(("Completed", 0), (Container(pod).State.Terminated?.Reason, Container(pod).State.Terminated?.ExitCode));
    }

    [Fact]
    public async Task JobOutcomeFailedAnnotationFailsTheJobsPods()
    {
        var (workspace, _) = await LaunchNodeAsync();
        await CreateJobAsync(workspace, outcome: "failed");

        await Eventually.Get(
            () => _client.BatchV1.ReadNamespacedJobAsync(workspace, _ns),
            j => j.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true,
            $"job {workspace} Failed");
        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "job-name=" + workspace)).Items);
        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal(("Error", 1), (Container(pod).State.Terminated?.Reason, Container(pod).State.Terminated?.ExitCode));
    }

    private async Task<(string Workspace, string Node)> LaunchNodeAsync()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC6s_v3", labels: new Dictionary<string, string> { ["kaito.sh/workspace"] = name });
        await Eventually.Get(() => _client.CoreV1.ReadNodeAsync(name), NodeClaimTests.IsReady, $"node {name} Ready");
        return (name, name);
    }

    private static V1PodSpec GpuPodSpec(string workspace, string restartPolicy = "Always") => new()
    {
        NodeSelector = new Dictionary<string, string> { ["kaito.sh/workspace"] = workspace },
        Tolerations = [new V1Toleration { Key = "sku", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }],
        RestartPolicy = restartPolicy,
        InitContainers = [new V1Container { Name = "fetch", Image = "busybox:1.36" }],
        Containers =
        [
            new V1Container
            {
                Name = "model",
                Image = "mcr.microsoft.com/aks/kaito/kaito-phi-3:0.0.1",
                Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } },
            },
        ],
    };

    private Task CreatePodAsync(string name) =>
        _client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = name }, Spec = GpuPodSpec(name) }, _ns);

    private Task CreateJobAsync(string name, string? outcome) =>
        _client.BatchV1.CreateNamespacedJobAsync(
            new V1Job
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1JobSpec
                {
                    BackoffLimit = 0,
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Annotations = outcome is null ? null : new Dictionary<string, string> { [SimulatorAnnotations.JobOutcome] = outcome },
                        },
                        Spec = GpuPodSpec(name, "Never"),
                    },
                },
            },
            _ns);

    private Task<V1Pod> ReadPodAsync(string name) => _client.CoreV1.ReadNamespacedPodAsync(name, _ns);

    private Task AnnotateAsync(string pod, string jsonValue) =>
        _client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"metadata\":{\"annotations\":{\"" + SimulatorAnnotations.CrashLoop + "\":" + jsonValue + "}}}", V1Patch.PatchType.MergePatch), pod, _ns);

    private static V1ContainerStatus Container(V1Pod pod) => pod.Status?.ContainerStatuses?.SingleOrDefault() ?? new V1ContainerStatus();

    private static bool IsReady(V1Pod? pod) => pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
