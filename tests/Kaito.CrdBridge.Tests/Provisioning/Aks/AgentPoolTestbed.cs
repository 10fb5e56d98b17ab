using k8s;
using Kaito.CrdBridge.Provisioning.Aks;
using Kaito.Testing.Arm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kaito.CrdBridge.Tests.Provisioning.Aks;

/// <summary>The real Azure SDK pipeline against a loopback ARM imitation, and a provisioner over it and a real API server.</summary>
internal sealed class AgentPoolTestbed : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 30, 15, TimeSpan.Zero);

    public AgentPoolTestbed(IKubernetes kubernetes, Action<AgentPoolOptions>? configure = null)
    {
        Options = new AgentPoolOptions
        {
            SubscriptionId = Arm.SubscriptionId, ResourceGroup = Arm.ResourceGroup, ClusterName = Arm.ClusterName, Location = Arm.Location,
            Endpoint = Arm.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromSeconds(2),
            DefaultPollInterval = TimeSpan.FromMilliseconds(1),
        };
        configure?.Invoke(Options);
        Client = new AgentPoolArmClient(Options, new StaticTokenCredential(), ArmImitation.Transport());
        Provisioner = NewProvisioner(kubernetes);
    }

    public ArmImitation Arm { get; } = new();

    /// <summary>Moves a second on every read, so that remembered Retry-After waits run out between polls; set the
    /// auto-advance to zero to hold time still.</summary>
    public FakeTimeProvider Clock { get; } = new(Now) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };

    public AgentPoolOptions Options { get; }

    public AgentPoolArmClient Client { get; }

    public AgentPoolProvisioner Provisioner { get; }

    /// <summary>A provisioner as a restarted silo has it: nothing in memory.</summary>
    public AgentPoolProvisioner NewProvisioner(IKubernetes kubernetes) =>
        new(Client, kubernetes, Options, Clock, NullLogger<AgentPoolProvisioner>.Instance);

    public AgentPoolGarbageCollector Collector() => new(Client, Options, Clock, NullLogger<AgentPoolGarbageCollector>.Instance);

    public ValueTask DisposeAsync() => Arm.DisposeAsync();
}
