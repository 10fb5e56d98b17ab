using Azure.Data.Tables;
using Kaito.Grains.Hosting;
using Kaito.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>
/// An in-process silo with the Kaito grains over Azurite and recording ports. Restartable: the ServiceId and the
/// table prefix stay, so a restarted cluster sees the same event tables and (with Azure reminders) the same reminders.
/// </summary>
public sealed class KaitoTestCluster : IAsyncDisposable
{
    private readonly bool _azureReminders;
    private readonly Action<KaitoGrainsOptions>? _configure;
    private readonly Action<MachineProvisioningOptions>? _configureMachines;

    private KaitoTestCluster(string connectionString, bool azureReminders, Action<KaitoGrainsOptions>? configure,
        Action<MachineProvisioningOptions>? configureMachines, string? tablePrefix)
    {
        ConnectionString = connectionString;
        TablePrefix = tablePrefix ?? AzuriteStorage.NewTablePrefix();
        _azureReminders = azureReminders;
        _configure = configure;
        _configureMachines = configureMachines;
    }

    public string ConnectionString { get; }

    /// <summary>Provisioning deadlines and backoff short enough for tests.</summary>
    public static void FastMachines(MachineProvisioningOptions o)
    {
        o.NodeRegistrationTimeout = TimeSpan.FromSeconds(2);
        o.GpuReadyTimeout = TimeSpan.FromSeconds(2);
        o.MaxAttempts = 3;
        o.BackoffBase = TimeSpan.FromMilliseconds(100);
        o.BackoffCap = TimeSpan.FromSeconds(1);
        o.MaxReplacements = 2;
        o.ReplacementBackoffBase = TimeSpan.FromMilliseconds(100);
        o.ReplacementBackoffCap = TimeSpan.FromSeconds(1);
    }

    public T SiloService<T>()
        where T : notnull => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<T>();

    public string TablePrefix { get; }

    public string ServiceId { get; } = "kaito-test-" + Guid.NewGuid().ToString("N")[..8];

    public RecordingNodeProvisioner Nodes { get; } = new();

    public RecordingKubernetesPort Kubernetes { get; } = new();

    public RecordingStatusPublisher Publisher { get; } = new();

    public RecordingEventRecorder Events { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public TableServiceClient Tables => new(ConnectionString);

    /// <param name="tablePrefix">Another cluster's prefix, to have two clusters (two writers) over the same event tables.</param>
    public static async Task<KaitoTestCluster> StartAsync(bool azureReminders = false, Action<KaitoGrainsOptions>? configure = null,
        Action<MachineProvisioningOptions>? configureMachines = null, string? tablePrefix = null)
    {
        var cluster = new KaitoTestCluster(await AzuriteStorage.GetConnectionStringAsync(), azureReminders, configure, configureMachines, tablePrefix);
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Stops every silo (all activations and timers go) and starts a fresh cluster over the same storage.</summary>
    public async Task RestartAsync()
    {
        await Cluster.DisposeAsync();
        await DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    private async Task DeployAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddKaitoGrains(
                o =>
                {
                    o.ConnectionString = ConnectionString;
                    o.TablePrefix = TablePrefix;
                    o.ReconcileInterval = TimeSpan.FromMilliseconds(200);
                    o.ReminderPeriod = TimeSpan.FromSeconds(2);
                    o.ReobserveInterval = TimeSpan.FromSeconds(1);
                    o.FailureBackoffCap = TimeSpan.FromSeconds(2);
                    _configure?.Invoke(o);
                },
                _configureMachines);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            if (_azureReminders)
            {
                silo.UseAzureTableReminderService(o =>
                {
                    o.TableServiceClient = new TableServiceClient(ConnectionString);
                    o.TableName = TablePrefix + "Reminders";
                });
            }
            else
            {
                silo.UseInMemoryReminderService();
            }

            silo.Services.AddSingleton<INodeProvisioner>(Nodes);
            silo.Services.AddSingleton<IKubernetesObjectPort>(Kubernetes);
            silo.Services.AddSingleton<IWorkspaceStatusPublisher>(Publisher);
            silo.Services.AddSingleton<IWorkspaceEventRecorder>(Events);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }
}
