using Kaito.Silo.Tests.Telemetry;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The control plane with the NodeClaim provisioner, the Orleans Dashboard turned on and traces exported over OTLP/HTTP
/// to a stand-in collector on loopback.
/// </summary>
public sealed class ObservabilityControlPlaneFixture : ControlPlaneFixture
{
    public OtlpReceiver Collector { get; private set; } = null!;

    protected override string Provisioner => "nodeclaim";

    protected override IEnumerable<string> ExtraRunArgs =>
    [
        "--set", "Operations:Dashboard=true",
        "--set", $"Telemetry:OtlpEndpoint={Collector.BaseAddress}", "--set", "Telemetry:OtlpProtocol=http/protobuf",
    ];

    protected override async Task PrepareClusterAsync()
    {
        Collector = await OtlpReceiver.StartAsync();
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }
    }
}
