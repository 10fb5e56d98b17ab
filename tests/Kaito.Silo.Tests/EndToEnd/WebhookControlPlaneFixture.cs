namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// The control plane with the admission webhooks on: <c>kaito run --webhook true</c> registers them by URL on
/// loopback, with its certificates in a folder of this fixture's (kept across silo restarts).
/// </summary>
public sealed class WebhookControlPlaneFixture : ControlPlaneFixture
{
    public int WebhookPort { get; } = FreePort();

    public string CertDir { get; } = Path.Combine(Path.GetTempPath(), "kaito-e2e-webhook-" + Guid.NewGuid().ToString("N")[..8]);

    protected override string Provisioner => "nodeclaim";

    protected override IEnumerable<string> ExtraRunArgs =>
        ["--webhook", "true", "--webhook-port", WebhookPort.ToString(), "--webhook-mode", "url", "--webhook-cert-dir", CertDir];

    protected override async Task PrepareClusterAsync() =>
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
}
