using k8s;
using k8s.Models;
using Kaito.CrdBridge.Hosting;
using Kaito.CrdBridge.Status;
using Kaito.CrdBridge.Tests.Watching;
using Kaito.CrdBridge.Watching;
using Kaito.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Tests.Hosting;

/// <summary>AddKaitoCrdBridge wires every watcher into the hosted BridgeService; the host's sink is kept.</summary>
[Collection(KubeCollection.Name)]
public sealed class BridgeServiceTests(KubeApiServerFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _ns = new(kube.Client, "bridge");

    public Task InitializeAsync() => _ns.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_hosted_bridge_feeds_workspaces_and_their_deployments_to_the_sink()
    {
        var sink = new RecordingWatchSink();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(kube.Client)
            .AddSingleton<IWatchSink>(sink)
            .AddKaitoCrdBridge(o => o.Namespace = _ns.Name);
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<KubernetesStatusPublisher>(provider.GetRequiredService<IWorkspaceStatusPublisher>());
        Assert.Equal(8, provider.GetServices<IBridgeWatcher>().Count()); // 4 workload kinds, 2 node watches, NodeClaims, Machines
        var bridge = Assert.Single(provider.GetServices<IHostedService>().OfType<BridgeService>());

        await bridge.StartAsync(CancellationToken.None);
        try
        {
            var ws = await _ns.CreateWorkspaceAsync("hosted");
            var key = $"{_ns.Name}/hosted/{TestNamespace.Uid(ws)}";
            await sink.WaitForAsync(c => c.Method == "ApplySpecAsync" && c.Key == key, "ApplySpec");
            await kube.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "hosted",
                    Labels = new Dictionary<string, string> { [WatchedResource.WorkspaceLabel] = "hosted", [WatchedResource.WorkspaceNamespaceLabel] = _ns.Name },
                },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 0,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "hosted" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "hosted" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "model", Image = "example.invalid/model:1" }] },
                    },
                },
            }, _ns.Name);

            await sink.WaitForAsync(c => c.Method == "WorkloadChangedAsync" && c.Key == key && c.Cause.StartsWith("watch:deployment-", StringComparison.Ordinal), "poke");
        }
        finally
        {
            await bridge.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Invalid_options_fail_naming_the_setting()
    {
        var result = new CrdBridgeOptionsValidator().Validate(null, new CrdBridgeOptions { Namespace = "Not_A_Namespace", BackoffCap = TimeSpan.Zero, JitterRatio = 2 });

        Assert.True(result.Failed);
        Assert.Contains("Namespace 'Not_A_Namespace'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("BackoffCap", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("JitterRatio", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(ValidateOptionsResult.Success, new CrdBridgeOptionsValidator().Validate(null, new CrdBridgeOptions()));
    }
}
