using System.Net;
using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kaito.Api.Http;
using Kaito.NodeSimulator.LocalRuntimes;
using Kaito.Runtime.TestModel;

namespace Kaito.NodeSimulator.Tests;

/// <summary>
/// A real kube-apiserver + controller-manager + scheduler 1.20 on loopback (KAITO_TEST_KUBECONFIG's, or one started
/// with scripts/kube/start.sh), the Karpenter dev CRDs, a namespace for the tests, and one running NodeSimulator that
/// fails <see cref="QuotaInstanceType"/> and serves workspaces' inference pods with real Kaito.Runtime processes on the
/// tiny test model (other pods are simulated as without that option). Leaves the cluster as it found it: claims, nodes,
/// namespace and the CRDs it installed are deleted at the end, and the runtimes are stopped.
/// </summary>
public sealed class SimulatedClusterFixture : IAsyncLifetime
{
    public const string QuotaInstanceType = "Standard_NC96ads_A100_v4";
    public const string QuotaFailure =
        "QuotaExceeded: Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota";

    private readonly List<string> _installedCrds = [];
    private string? _ownedState;
    private readonly string _runtimeFolder = Path.Combine(Path.GetTempPath(), "kaito-nodesim-runtime-" + Guid.NewGuid().ToString("N")[..8]);

    public IKubernetes Client { get; private set; } = null!;

    public NodeSimulator Simulator { get; private set; } = null!;

    public string Namespace { get; } = "nodesim-" + Guid.NewGuid().ToString("N")[..6];

    internal ClaimDriver Claims { get; private set; } = null!;

    /// <summary>Where the runtimes' output goes, one file per pod.</summary>
    public string RuntimeLogs => Path.Combine(_runtimeFolder, "logs");

    /// <summary>The simulated kubelet's files: each runtime's termination-message file under &lt;pod uid&gt;/&lt;container&gt;/.</summary>
    public string KubeletState => Path.Combine(_runtimeFolder, "kubelet");

    /// <summary>A scratch folder of this fixture's (removed at the end).</summary>
    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_runtimeFolder, "scratch", name)).FullName;

    /// <summary>The first restart back-off of a runtime that exited.</summary>
    public static TimeSpan RuntimeBackoff { get; } = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("KAITO_TEST_KUBECONFIG");
        if (string.IsNullOrEmpty(path))
        {
            _ownedState = KubeScripts.NewStateFolder("kaito-kube-");
            path = await KubeScripts.StartAsync(_ownedState);
        }

        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path), BufferedResponses.With());
        await InstallKarpenterCrdsAsync();
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        Claims = new ClaimDriver(Client);
        Simulator = new NodeSimulator(Client, new NodeSimulatorOptions
        {
            FailingInstanceTypes = { [QuotaInstanceType] = QuotaFailure },
            CrashLoopRestartInterval = TimeSpan.FromSeconds(2),
            LocalRuntime = new LocalRuntimeOptions
            {
                ModelDirectory = TinyModelBuilder.Write(Path.Combine(_runtimeFolder, "model")),
                Command = [RuntimeApphost()],
                LogDirectory = RuntimeLogs,
                StateDirectory = KubeletState,
                InitialBackoff = RuntimeBackoff,
            },
        });
        Simulator.Start();
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            // While the simulator still runs: it finishes the pods' termination, then lets the claims go.
            await DeleteAsync("", "v1", "namespaces", Namespace);
            await Eventually.Get(() => Client.CoreV1.ListNamespacedPodAsync(Namespace), l => l.Items.Count == 0, "pods of the test namespace gone");
            await Claims.DeleteAllAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (Client is not null)
        {
            foreach (var crd in _installedCrds)
            {
                await DeleteAsync("apiextensions.k8s.io", "v1", "customresourcedefinitions", crd);
            }

            Client.Dispose();
        }

        if (_ownedState is not null)
        {
            await KubeScripts.StopAsync(_ownedState);
        }

        if (Directory.Exists(_runtimeFolder))
        {
            Directory.Delete(_runtimeFolder, recursive: true);
        }
    }

    /// <summary>src/Kaito.Runtime's build for this configuration (the test project builds it first).</summary>
    private static string RuntimeApphost() =>
        typeof(SimulatedClusterFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KaitoRuntimeApphost").Value
        ?? throw new InvalidOperationException("KaitoRuntimeApphost metadata missing");

    /// <summary>Deletes a cluster-scoped object; the 1.20 server's answer is read as a Status, and a missing object is fine.</summary>
    public async Task DeleteAsync(string group, string version, string plural, string name)
    {
        try
        {
            await new GenericClient(Client, group, version, plural, disposeClient: false).DeleteAsync<V1Status>(name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (JsonException)
        {
        }
    }

    private async Task InstallKarpenterCrdsAsync()
    {
        var yaml = await File.ReadAllTextAsync(RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
        foreach (var crd in KubernetesYaml.LoadAllFromString(yaml).Cast<V1CustomResourceDefinition>())
        {
            try
            {
                await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
                _installedCrds.Add(crd.Metadata.Name);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                continue; // installed by someone else: theirs to keep
            }

            await Eventually.Get(
                () => Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name),
                c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true,
                $"CRD {crd.Metadata.Name} established");
        }
    }
}
