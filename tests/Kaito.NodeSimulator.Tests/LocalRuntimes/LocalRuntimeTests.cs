using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kaito.NodeSimulator.Tests.LocalRuntimes;

/// <summary>
/// A workspace's inference pod on a simulated node gets a real Kaito.Runtime process (tiny model) on loopback; the pod
/// says where (kaito.sh/local-endpoint) and its status follows the process as a kubelet's follows a container.
/// </summary>
[Collection(SimulatedClusterCollection.Name)]
public sealed class LocalRuntimeTests(SimulatedClusterFixture cluster) : IDisposable
{
    /// <summary>The tiny model's greedy answer to "abc" (return_full_text): each byte's successor up to '~'.</summary>
    private const string AbcAnswer = "abcdefghijklmnopqrstuvwxyz{|}~";

    private readonly IKubernetes _client = cluster.Client;
    private readonly string _ns = cluster.Namespace;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task InferencePodIsServedByARealRuntimeAtItsAnnotatedEndpointAndIsReadyOnlyAfterHealthzAnswers()
    {
        var workspace = await LaunchNodeAsync();
        using var stopWatching = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = await WatchPodsAsync(workspace, stopWatching);
        await CreateInferenceDeploymentAsync(workspace);

        var pod = (await Eventually.Get(() => ReadPodAsync(workspace), p => IsReady(p) && Endpoint(p) is not null, $"pod of {workspace} Ready", seconds: 60))!;
        await stopWatching.CancelAsync();
        var endpoint = Endpoint(pod)!;
        Assert.Matches("^http://127\\.0\\.0\\.1:[0-9]+$", endpoint);
        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal((0, true, true), (container.RestartCount, container.Ready, container.Started));
        Assert.NotNull(container.State.Running);
        Assert.StartsWith("192.0.2.", pod.Status.PodIP, StringComparison.Ordinal);

        // Before Ready it ran with its address on the pod but did not answer /healthz yet: Running, not Ready.
        var history = await seen;
        var firstReady = history.FindIndex(IsReady);
        Assert.True(firstReady > 0, "the pod was Ready in its first status");
        Assert.Contains(history.Take(firstReady), p => p.Status?.Phase == "Running" && Endpoint(p) == endpoint && !IsReady(p));
        Assert.All(history.Where(IsReady), p => Assert.Equal(endpoint, Endpoint(p)));

        using var healthz = await _http.GetAsync(new Uri(endpoint + "/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(AbcAnswer, await ChatAsync(endpoint));
        var models = await _http.GetFromJsonAsync<JsonElement>(new Uri(endpoint + "/v1/models"));
        Assert.Equal("phi-3-mini-4k-instruct", models.GetProperty("data")[0].GetProperty("id").GetString());
        using var completion = await _http.PostAsJsonAsync(
            new Uri(endpoint + "/v1/chat/completions"),
            new { model = "phi-3-mini-4k-instruct", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 3, temperature = 0 });
        Assert.Equal(System.Net.HttpStatusCode.OK, completion.StatusCode);
        var choice = (await completion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task KilledRuntimeRestartsLikeAKubeletContainerWithCrashLoopBackOffAndComesBackReady()
    {
        var workspace = await LaunchNodeAsync();
        await CreateInferenceDeploymentAsync(workspace);
        var pod = (await Eventually.Get(() => ReadPodAsync(workspace), IsReady, $"pod of {workspace} Ready", seconds: 60))!;
        var pid = cluster.Simulator.RuntimeProcessId(pod.Metadata.Uid) ?? throw new InvalidOperationException("no runtime process");

        Process.GetProcessById(pid).Kill();

        var crashed = (await Eventually.Get(
            () => ReadPodAsync(workspace), p => Container(p).State?.Waiting is not null, $"pod of {workspace} backing off"))!;
        var status = Container(crashed);
        Assert.False(IsReady(crashed));
        Assert.Equal("Running", crashed.Status.Phase);
        Assert.Equal(1, status.RestartCount);
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        Assert.StartsWith($"back-off 2s restarting failed container=model pod={crashed.Metadata.Name}_{_ns}(", status.State.Waiting.Message, StringComparison.Ordinal);
        var terminated = status.LastState?.Terminated ?? throw new InvalidOperationException("no lastState.terminated");
        Assert.Equal((137, "Error"), (terminated.ExitCode, terminated.Reason));
        Assert.Contains("Now listening on: " + Endpoint(pod), terminated.Message, StringComparison.Ordinal);
        Assert.True(terminated.FinishedAt >= terminated.StartedAt);

        var back = (await Eventually.Get(() => ReadPodAsync(workspace), IsReady, $"pod of {workspace} Ready again", seconds: 60))!;
        Assert.Equal(1, Container(back).RestartCount);
        Assert.Equal(137, Container(back).LastState?.Terminated?.ExitCode);
        Assert.NotNull(Container(back).State.Running);
        Assert.NotEqual(pid, cluster.Simulator.RuntimeProcessId(back.Metadata.Uid));
        Assert.Equal(AbcAnswer, await ChatAsync(Endpoint(back)!));
    }

    [Fact]
    public async Task RuntimeThatCannotLoadItsAdapterCrashLoopsWithTheReasonFromItsTerminationMessageFile()
    {
        var hostTerminationLog = HostFile("/dev/termination-log");
        var adapters = cluster.Scratch("broken-adapters");
        var tuned = Directory.CreateDirectory(Path.Combine(adapters, "tuned")).FullName; // neither PEFT files nor an .onnx_adapter
        var workspace = await LaunchNodeAsync();
        await CreateInferenceDeploymentAsync(workspace, new Dictionary<string, string> { ["Runtime__AdapterDirectory"] = adapters });

        var crashed = (await Eventually.Get(
            () => ReadPodAsync(workspace),
            p => Container(p).State?.Waiting is not null && Container(p).LastState?.Terminated is not null,
            $"pod of {workspace} backing off after a failed start",
            seconds: 60))!;

        var status = Container(crashed);
        Assert.False(IsReady(crashed));
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        var terminated = status.LastState.Terminated;
        Assert.Equal((1, "Error"), (terminated.ExitCode, terminated.Reason));
        // The runtime's own words from the file, not the log tail that FallbackToLogsOnError would give for an empty file.
        Assert.StartsWith($"Adapter tuned ({tuned}) cannot be loaded: ", terminated.Message, StringComparison.Ordinal);
        var file = Path.Combine(cluster.KubeletState, crashed.Metadata.Uid, "model", "termination-log");
        Assert.True(File.Exists(file), $"no termination-message file at {file}");
        Assert.Equal(hostTerminationLog, HostFile("/dev/termination-log"));

        await _client.AppsV1.DeleteNamespacedDeploymentAsync(workspace, _ns, propagationPolicy: "Foreground");
        await Eventually.Get(() => Task.FromResult(Directory.Exists(Path.Combine(cluster.KubeletState, crashed.Metadata.Uid))), exists => !exists,
            $"kubelet files of {crashed.Metadata.Name} removed with the pod");
    }

    [Fact]
    public async Task DeletingTheWorkloadStopsThePodsRuntimeProcess()
    {
        var workspace = await LaunchNodeAsync();
        await CreateInferenceDeploymentAsync(workspace);
        var pod = (await Eventually.Get(() => ReadPodAsync(workspace), IsReady, $"pod of {workspace} Ready", seconds: 60))!;
        var pid = cluster.Simulator.RuntimeProcessId(pod.Metadata.Uid) ?? throw new InvalidOperationException("no runtime process");
        using var process = Process.GetProcessById(pid);

        await _client.AppsV1.DeleteNamespacedDeploymentAsync(workspace, _ns, propagationPolicy: "Foreground");

        await Eventually.Get(() => _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "app=" + workspace), l => l.Items.Count == 0, $"pods of {workspace} gone");
        await Eventually.Get(() => Task.FromResult(process.HasExited), exited => exited, $"runtime process {pid} exited");
        Assert.Null(cluster.Simulator.RuntimeProcessId(pod.Metadata.Uid));
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"process {pid} still running");
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> LaunchNodeAsync()
    {
        var name = ClaimDriver.NewName();
        await cluster.Claims.CreateAsync(name, "Standard_NC6s_v3", labels: new Dictionary<string, string> { ["kaito.sh/workspace"] = name });
        await Eventually.Get(() => _client.CoreV1.ReadNodeAsync(name), NodeClaimTests.IsReady, $"node {name} Ready");
        return name;
    }

    /// <summary>
    /// Shaped like the bridge's: the workspace's labels on the pods, the preset's model image, one GPU, the termination
    /// message falling back to the log tail; <paramref name="env"/> goes on the model container.
    /// </summary>
    private Task CreateInferenceDeploymentAsync(string workspace, IReadOnlyDictionary<string, string>? env = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = workspace, ["kaito.sh/workspace"] = workspace, ["kaito.sh/workspacenamespace"] = _ns };
        return _client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = workspace },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec
                        {
                            NodeSelector = new Dictionary<string, string> { ["kaito.sh/workspace"] = workspace },
                            Tolerations = [new V1Toleration { Key = "sku", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" }],
                            Containers =
                            [
                                new V1Container
                                {
                                    Name = "model",
                                    Image = "mcr.microsoft.com/aks/kaito/kaito-phi-3-mini-4k-instruct:0.0.1",
                                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } },
                                    TerminationMessagePolicy = "FallbackToLogsOnError",
                                    Env = env?.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList(),
                                },
                            ],
                        },
                    },
                },
            },
            _ns);
    }

    /// <summary>Every version of the workspace's pods the watch delivers, until <paramref name="stop"/> is cancelled.</summary>
    /// <summary>Every pod state from now on: the watch starts from a list taken before the caller creates anything, so a
    /// watch that connects late still replays the states it missed.</summary>
    private async Task<Task<List<V1Pod>>> WatchPodsAsync(string workspace, CancellationTokenSource cancel)
    {
        var from = (await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "app=" + workspace)).Metadata.ResourceVersion;
        return Task.Run(async () =>
        {
            var seen = new List<V1Pod>();
            try
            {
                await foreach (var (_, pod) in _client.CoreV1.WatchListNamespacedPodAsync(_ns, labelSelector: "app=" + workspace,
                    resourceVersion: from, cancellationToken: cancel.Token))
                {
                    seen.Add(pod);
                }
            }
            catch (OperationCanceledException)
            {
            }

            return seen;
        });
    }

    private async Task<string> ChatAsync(string endpoint)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(endpoint + "/chat"), new { prompt = "abc", generate_kwargs = new { do_sample = false } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body.GetProperty("Result").GetString()! : throw new InvalidOperationException($"/chat: {(int)response.StatusCode} {body}");
    }

    private async Task<V1Pod?> ReadPodAsync(string workspace) =>
        (await _client.CoreV1.ListNamespacedPodAsync(_ns, labelSelector: "app=" + workspace)).Items.SingleOrDefault();

    private static string? Endpoint(V1Pod? pod) =>
        pod?.Metadata.Annotations?.TryGetValue(SimulatorAnnotations.LocalEndpoint, out var endpoint) == true ? endpoint : null;

    /// <summary>Whether this machine's file exists and when it last changed: a runtime must never write it.</summary>
    private static (bool, DateTime) HostFile(string path) => (File.Exists(path), File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default);

    private static V1ContainerStatus Container(V1Pod? pod) => pod?.Status?.ContainerStatuses?.SingleOrDefault() ?? new V1ContainerStatus();

    private static bool IsReady(V1Pod? pod) => pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
