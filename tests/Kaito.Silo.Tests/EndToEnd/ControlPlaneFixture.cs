using System.Net;
using System.Net.Sockets;
using k8s;
using Kaito.Api.Http;
using Kaito.Silo.Run;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The whole product on loopback: a cluster of its own (only the kubelet simulated by Kaito.NodeSimulator, in this
/// process), Azurite, and <c>kaito run</c> in this process with the provisioner a derived class names. Restartable:
/// the silo comes back over the same tables, as after a crash or a rollout.
/// </summary>
public abstract class ControlPlaneFixture : IAsyncLifetime
{
    /// <summary>The simulator fails this instance type's NodeClaims the way gpu-provisioner reports a quota error.</summary>
    public const string QuotaInstanceType = "Standard_NC12s_v3";

    public const string QuotaMessage = "Operation could not be completed as it results in exceeding approved standardNCSv3Family Cores quota";

    private readonly string _tablePrefix = AzuriteStorage.NewTablePrefix();
    private readonly string _serviceId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    private string[] _runArgs = [];

    public LocalKubernetes Cluster { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public NodeSimulator.NodeSimulator? Simulator { get; private set; }

    /// <summary>The first running silo, if any.</summary>
    public IHost? Silo => Silos.FirstOrDefault();

    public List<IHost> Silos { get; } = [];

    /// <summary>The <c>kaito run</c> arguments every silo of this fixture gets, less its ports.</summary>
    public IReadOnlyList<string> RunArgs => _runArgs;

    protected abstract string Provisioner { get; }

    protected virtual string Clustering => "localhost";

    public async Task InitializeAsync()
    {
        Cluster = await LocalKubernetes.StartAsync();
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath), BufferedResponses.With());
        await PrepareClusterAsync();
        await StartSimulatorAsync();
        var storage = await AzuriteStorage.GetConnectionStringAsync();
        _runArgs =
        [
            "--kubeconfig", Cluster.KubeconfigPath, "--storage", storage, "--provisioner", Provisioner,
            "--table-prefix", _tablePrefix, "--service-id", _serviceId, "--cluster-id", _serviceId, "--clustering", Clustering,
            "--set", "Grains:ReconcileInterval=00:00:00.500", "--set", "Grains:ReminderPeriod=00:00:05",
            "--set", "Reminders:MinimumReminderPeriod=00:00:01",
            "--set", "Machines:MaxAttempts=2", "--set", "Machines:BackoffBase=00:00:00.500", "--set", "Machines:BackoffCap=00:00:01",
            "--set", "Logging:LogLevel:Default=Warning",
            .. ExtraRunArgs,
        ];
        for (var i = 0; i < SiloCount; i++)
        {
            await StartSiloAsync();
        }
    }

    protected virtual int SiloCount => 1;

    /// <summary>The <c>KAITO_*</c> environment <c>kaito run</c> reads (flags still win); null: none.</summary>
    protected virtual IDictionary<string, string?>? RunEnvironment => null;

    /// <summary>Handlers in front of the silo's Kubernetes client, new ones for each silo started.</summary>
    protected virtual DelegatingHandler[] CreateKubernetesHandlers() => [];

    public virtual async Task DisposeAsync()
    {
        await StopSiloAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        Client?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>Starts one more silo (on fresh ports) over the same tables.</summary>
    public async Task<IHost> StartSiloAsync()
    {
        var silo = await RunCommand.StartAsync(
            // Ports of its own for each silo's /metrics and audit API (a derived fixture's own choice, in _runArgs, comes later and wins).
            ["--set", $"Operations:Port={FreePort()}", "--audit-url", $"http://127.0.0.1:{FreePort()}", .. _runArgs, "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString()],
            ConfigureServices, CancellationToken.None,
            RunEnvironment, CreateKubernetesHandlers());
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Stops every silo as SIGTERM does: activations, timers and watches go; the tables stay.</summary>
    public async Task StopSiloAsync()
    {
        foreach (var silo in Silos.ToList())
        {
            await StopSiloAsync(silo);
        }
    }

    public async Task StopSiloAsync(IHost silo)
    {
        await silo.StopAsync();
        silo.Dispose();
        Silos.Remove(silo);
    }

    public async Task StartSimulatorAsync()
    {
        Simulator = new NodeSimulator.NodeSimulator(Client, new NodeSimulator.NodeSimulatorOptions
        {
            FailingInstanceTypes = { [QuotaInstanceType] = "QuotaExceeded: " + QuotaMessage },
            CrashLoopRestartInterval = TimeSpan.FromSeconds(2),
            LocalRuntime = SimulatorRuntimes,
        });
        Simulator.Start();
        await OnSimulatorStartedAsync(Simulator);
    }

    public async Task StopSimulatorAsync()
    {
        if (Simulator is { } simulator)
        {
            await simulator.DisposeAsync();
            Simulator = null;
        }
    }

    protected virtual Task PrepareClusterAsync() => Task.CompletedTask;

    /// <summary>Real Kaito.Runtime processes behind the inference pods (the simulator's <c>--serve-runtime</c>); null: simulated pods.</summary>
    protected virtual NodeSimulator.LocalRuntimes.LocalRuntimeOptions? SimulatorRuntimes => null;

    /// <summary>More <c>kaito run</c> arguments a derived fixture needs, the same for every silo it starts (its provisioner's or webhooks' settings).</summary>
    protected virtual IEnumerable<string> ExtraRunArgs => [];

    /// <summary>Services a derived fixture adds to or replaces in each silo (e.g. a loopback transport).</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    protected virtual Task OnSimulatorStartedAsync(NodeSimulator.NodeSimulator simulator) => Task.CompletedTask;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
