using Azure.Messaging.ServiceBus;
using k8s;
using Kaito.Silo.ServiceBus;
using Kaito.Silo.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using Broker = Kaito.ServiceBusBroker.ServiceBusBroker;

namespace Kaito.Silo.Tests.ServiceBus;

/// <summary>
/// The control plane (NodeClaim provisioner) with its Service Bus intake and status topic on the local stand-in broker;
/// the real Azure.Messaging.ServiceBus client on both sides. The request writer can be told to fail like an API server
/// that is down, to prove transient failures are retried.
/// </summary>
public sealed class ServiceBusControlPlaneFixture : ControlPlaneFixture
{
    public const string Queue = "workspace-requests";
    public const string Topic = "workspace-status";
    public const int MaxDeliveryCount = 5;

    public ServiceBusControlPlaneFixture()
    {
        Broker = Broker.StartOnFreePort([Queue], [Topic], MaxDeliveryCount);
        ServiceBus = new ServiceBusClient(Broker.ConnectionString);
    }

    public Broker Broker { get; }

    public ServiceBusClient ServiceBus { get; }

    public FlakyWorkspaceRequestWriter Writer { get; private set; } = null!;

    protected override string Provisioner => "nodeclaim";

    protected override IEnumerable<string> ExtraRunArgs =>
        ["--servicebus", Broker.ConnectionString, "--servicebus-queue", Queue, "--servicebus-status-topic", Topic];

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IWorkspaceRequestWriter>(sp =>
            Writer = new FlakyWorkspaceRequestWriter(new KubernetesWorkspaceRequestWriter(sp.GetRequiredService<IKubernetes>())));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ServiceBus.DisposeAsync();
        Broker.Dispose();
    }
}
