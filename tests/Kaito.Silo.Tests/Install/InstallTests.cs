using System.Text.Json.Nodes;
using Kaito.Silo.Tests.EndToEnd;
using Kaito.Silo.Webhooks;

namespace Kaito.Silo.Tests.Install;

/// <summary>
/// <c>kubectl apply -k deploy/default</c> against a real API server, and the installed RBAC against what a Workspace's
/// whole life (apply, Ready, delete; inference and tuning) makes <c>kaito run</c> ask the API server for.
/// </summary>
public sealed class InstallTests(InstallFixture fixture) : IClassFixture<InstallFixture>
{
    /// <summary>Grants the recorded flow cannot reach, each with the code path that needs it.</summary>
    private static readonly Dictionary<string, string> UsedOffThisPath = new()
    {
        ["create apps/statefulsets (ClusterRole)"] = "multi-node presets are a StatefulSet",
        ["patch apps/statefulsets (ClusterRole)"] = "multi-node presets are a StatefulSet",
        ["list apps/controllerrevisions (ClusterRole)"] = "pruning beyond 10 revisions",
        ["delete apps/controllerrevisions (ClusterRole)"] = "pruning beyond 10 revisions",
        ["patch core/nodes (ClusterRole)"] = "the Byo provisioner labels the nodes it claims",
        ["patch core/events (ClusterRole)"] = "a repeated Event raises its count",
        ["get karpenter.sh/machines (ClusterRole)"] = "the Machine provisioner",
        ["create karpenter.sh/machines (ClusterRole)"] = "the Machine provisioner",
        ["delete karpenter.sh/machines (ClusterRole)"] = "the Machine provisioner",
        ["update core/secrets [kaito-webhook-cert] (Role in kaito-system)"] = "the serving certificate renewed at start",
    };

    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public void Apply_k_deploy_default_creates_the_CRD_namespace_identity_RBAC_config_three_silo_Deployment_and_Services()
    {
        var items = fixture.Installed["items"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "Deployment", "MutatingWebhookConfiguration", "Namespace",
             "Role", "RoleBinding", "Service", "Service", "ServiceAccount", "ValidatingWebhookConfiguration"],
            items.Select(i => i["kind"]!.GetValue<string>()).Order());
        JsonObject Item(string kind, string name) =>
            items.Single(i => i["kind"]!.GetValue<string>() == kind && i["metadata"]!["name"]!.GetValue<string>() == name);

        var deployment = Item("Deployment", "kaito-controller");
        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<int>());
        var pod = deployment["spec"]!["template"]!.AsObject();
        Assert.Equal("true", pod["metadata"]!["labels"]!["azure.workload.identity/use"]!.GetValue<string>());
        Assert.Equal("kaito-controller", pod["spec"]!["serviceAccountName"]!.GetValue<string>());
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal("run", container["args"]![0]!.GetValue<string>());
        var storage = container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "KAITO_STORAGE")!;
        Assert.Equal(("kaito-storage", "connection-string"),
            (storage["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>(), storage["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>()));

        var identity = Item("ServiceAccount", "kaito-controller");
        Assert.NotNull(identity["metadata"]!["annotations"]!["azure.workload.identity/client-id"]);

        var config = Item("ConfigMap", "kaito-config")["data"]!;
        Assert.Equal(("azuretable", "NodeClaim", "service", "false"), (config["KAITO_CLUSTERING"]!.GetValue<string>(),
            config["KAITO_NODEPROVISIONER__KIND"]!.GetValue<string>(), config["KAITO_WEBHOOK__MODE"]!.GetValue<string>(),
            config["KAITO_INSTALLCRDS"]!.GetValue<string>()));

        var webhook = Item("Service", "kaito-webhook")["spec"]!;
        Assert.Equal((9443, "webhook"), (webhook["ports"]![0]!["port"]!.GetValue<int>(), webhook["ports"]![0]!["targetPort"]!.GetValue<string>()));
        Assert.Equal("kaito-controller", webhook["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.All(items.Where(i => i["metadata"]!["namespace"] is not null), i => Assert.Equal("kaito-system", i["metadata"]!["namespace"]!.GetValue<string>()));
    }

    [Fact]
    public void The_shipped_webhook_configurations_are_the_ones_the_silo_writes_in_service_mode_without_the_CA_bundle()
    {
        var options = new AdmissionWebhookOptions { Mode = WebhookModes.Service };
        foreach (var expected in new[] { WebhookConfigurations.Mutating(options, ""), WebhookConfigurations.Validating(options, "") })
        {
            var kind = expected["kind"]!.GetValue<string>();
            var shipped = fixture.Installed["items"]!.AsArray().OfType<JsonObject>().Single(i => i["kind"]!.GetValue<string>() == kind);
            var webhook = shipped["webhooks"]![0]!.AsObject();
            var want = expected["webhooks"]![0]!.AsObject();
            Assert.Null(webhook["clientConfig"]!["caBundle"]);
            want["clientConfig"]!.AsObject().Remove("caBundle");
            foreach (var (key, value) in want)
            {
                Assert.True(JsonNode.DeepEquals(value, webhook[key]), $"{kind} {key}: shipped {webhook[key]?.ToJsonString()}, the silo writes {value?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task The_installed_RBAC_grants_every_request_of_a_workspaces_life_and_nothing_it_does_not_make()
    {
        // The silo has registered the webhooks (recorded); the API server would call them through the Service's
        // cluster IP, which nothing here may contact, so they go before any Workspace is sent.
        await _kubectl.KubectlAsync("delete", "validatingwebhookconfiguration,mutatingwebhookconfiguration", "kaito-workspaces");

        try
        {
            await LiveAWorkspacesLifeAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nrefused by the API server:\n  "
                + string.Join("\n  ", fixture.Requests.Where(r => r.Status == 403).Distinct()), ex);
        }

        var grants = new List<RbacGrant>();
        foreach (var role in new[] { "clusterrole/kaito-controller", "role/kaito-controller" })
        {
            grants.AddRange(RbacGrant.Expand(JsonNode.Parse(await _kubectl.KubectlAsync("-n", "kaito-system", "get", role, "-o", "json"))!.AsObject()));
        }

        var requests = fixture.Requests.ToList();
        var refused = requests.Where(r => r.Status == 403).Distinct().ToList();
        var missing = requests.Where(r => !grants.Any(g => g.Allows(r))).Select(r => r with { Status = 0 }).Distinct().ToList();
        var unused = grants.Where(g => !requests.Any(g.Allows) && !UsedOffThisPath.ContainsKey(g.ToString())).ToList();
        Assert.True(refused.Count + missing.Count + unused.Count == 0,
            $"refused by the API server:\n  {string.Join("\n  ", refused)}\nnot granted:\n  {string.Join("\n  ", missing)}\n"
            + $"granted but never used:\n  {string.Join("\n  ", unused)}\nall requests:\n  "
            + string.Join("\n  ", requests.Select(r => r with { Status = 0, Name = null }).Distinct()));
    }

    /// <summary>The inference and the tuning quick start, from apply to Ready to gone.</summary>
    private async Task LiveAWorkspacesLifeAsync()
    {
        string[] files = ["inference-phi-3.yaml", "tuning-phi-3.yaml"];
        foreach (var file in files)
        {
            await _kubectl.KubectlAsync("apply", "-f", RepoPaths.Of("examples", file));
        }

        await _kubectl.ReadyAsync("workspace-phi-3-mini");
        await _kubectl.ReadyAsync("workspace-tuning-phi-3");
        foreach (var file in files)
        {
            await _kubectl.KubectlAsync("delete", "--wait=false", "-f", RepoPaths.Of("examples", file));
        }

        await Eventually.ReturnsAsync(() => _kubectl.KubectlAsync("get", "workspace,nodeclaims", "-o", "name"), o => o.Trim().Length == 0,
            Workspaces.Deadline, "the Workspaces and their NodeClaims are gone");
    }
}
