using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kaito.Silo.Tests.EndToEnd;

namespace Kaito.Silo.Tests.Install;

/// <summary>
/// A test cluster with <c>kubectl apply -k deploy/default</c> applied, and <c>kaito run</c> in this process configured
/// as the installed Deployment runs it (the ConfigMap's <c>KAITO_*</c> settings, the NodeClaim provisioner, Azure
/// Table clustering, the webhooks in service mode), acting as the installed ServiceAccount (impersonation, so the
/// API server enforces the installed RBAC), with every request it makes recorded.
/// </summary>
public sealed class InstallFixture : ControlPlaneFixture
{
    public const string ServiceAccount = "system:serviceaccount:kaito-system:kaito-controller";

    private readonly string _webhookPort = FreePort().ToString();
    private readonly string _operationsPort = FreePort().ToString();
    private Dictionary<string, string?> _environment = [];

    public ConcurrentQueue<ApiRequest> Requests { get; } = new();

    /// <summary>What <c>kubectl apply -k deploy/default</c> printed.</summary>
    public string ApplyOutput { get; private set; } = "";

    /// <summary>The installed objects as the API server returned them right after the apply (<c>kubectl get -o json</c>).</summary>
    public JsonObject Installed { get; private set; } = null!;

    public int OperationsPort => int.Parse(_operationsPort);

    protected override string Provisioner => "nodeclaim";

    protected override string Clustering => "azuretable";

    // The ConfigMap's webhook and /metrics ports are fixed; this process listens on free loopback ports instead.
    protected override IEnumerable<string> ExtraRunArgs =>
        ["--webhook-port", _webhookPort, "--set", "Operations:Host=127.0.0.1", "--set", $"Operations:Port={_operationsPort}"];

    protected override IDictionary<string, string?> RunEnvironment => _environment;

    protected override DelegatingHandler[] CreateKubernetesHandlers() => [new ApiRequestRecorder(Requests, ServiceAccount)];

    protected override async Task PrepareClusterAsync()
    {
        await Cluster.KubectlAsync("apply", "-f", RepoPaths.Of("deploy", "dev", "karpenter-crds.yaml"));
        ApplyOutput = await Cluster.KubectlAsync("apply", "-k", RepoPaths.Of("deploy", "default"));
        Installed = JsonNode.Parse(await Cluster.KubectlAsync("get", "-n", "kaito-system", "-o", "json",
            "namespace/kaito-system", "crd/workspaces.kaito.sh", "serviceaccount/kaito-controller", "clusterrole/kaito-controller",
            "clusterrolebinding/kaito-controller", "role/kaito-controller", "rolebinding/kaito-controller", "configmap/kaito-config",
            "deployment/kaito-controller", "service/kaito-webhook", "service/kaito-metrics",
            "mutatingwebhookconfiguration/kaito-workspaces", "validatingwebhookconfiguration/kaito-workspaces"))!.AsObject();

        // No kubelet runs the silo pods here; none may be scheduled on a simulated node either (their pod IPs would
        // become the webhook Service's endpoints).
        await Cluster.KubectlAsync("-n", "kaito-system", "scale", "deployment/kaito-controller", "--replicas=0");
        var config = JsonNode.Parse(await Cluster.KubectlAsync("-n", "kaito-system", "get", "configmap", "kaito-config", "-o", "json"))!;
        _environment = config["data"]!.AsObject().ToDictionary(e => e.Key, e => (string?)e.Value!.GetValue<string>());
    }
}
