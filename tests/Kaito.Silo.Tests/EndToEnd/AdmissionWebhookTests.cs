using System.Diagnostics;
using Kaito.Grains.Workspaces;
using Kaito.Silo.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>What a kubectl user meets at <c>kubectl apply</c> with the webhooks on, and that they never stand in the way of a deletion.</summary>
public sealed class AdmissionWebhookTests(WebhookControlPlaneFixture fixture) : IClassFixture<WebhookControlPlaneFixture>
{
    private static readonly string Invalid = RepoPaths.Of("tests", "testdata", "workspaces", "invalid");
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task Kubectl_apply_of_each_invalid_example_is_refused_with_the_lines_kaito_validate_prints()
    {
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(Invalid, "*.yaml").Order(StringComparer.Ordinal))
        {
            var expected = File.ReadLines(file).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal)).Select(l => l["# expect: ".Length..]).ToList();
            // The API server drops unknown fields before admission (CRD pruning), so no webhook ever sees them:
            // kubectl's own schema check refuses them (without --validate=false), naming the field.
            var pruned = expected.All(e => e.Contains(": unknown field \"", StringComparison.Ordinal));
            string[] args = pruned ? ["apply", "-f", file] : ["apply", "--validate=false", "-f", file];
            string output;
            try
            {
                output = await _kubectl.KubectlAsync(args);
                problems.Add($"{Path.GetFileName(file)}: admitted: {output.Trim()}");
                continue;
            }
            catch (InvalidOperationException ex)
            {
                output = ex.Message;
            }

            var lines = output.Split('\n');
            foreach (var line in expected)
            {
                var found = pruned
                    ? output.Contains(line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..], StringComparison.Ordinal)
                    : lines.Any(l => l.StartsWith(line, StringComparison.Ordinal));
                if (!found)
                {
                    problems.Add($"{Path.GetFileName(file)}: no line \"{line}\" in: {output}");
                }
            }

            if (!pruned && !output.Contains($"admission webhook \"{WebhookConfigurations.MutatingWebhookName}\" denied the request", StringComparison.Ordinal))
            {
                problems.Add($"{Path.GetFileName(file)}: not refused by the webhook: {output}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_quick_starts_are_admitted()
    {
        foreach (var file in Workspaces.QuickStarts)
        {
            Assert.Contains("created", await _kubectl.ApplyAsync(Workspaces.Example(file, "admit-" + Path.GetFileNameWithoutExtension(file))), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_update_that_breaks_an_update_rule_is_refused()
    {
        var dir = RepoPaths.Of("tests", "testdata", "workspaces", "update", "instance-type-changed");
        await _kubectl.KubectlAsync("create", "namespace", "update-rules");
        await _kubectl.KubectlAsync("apply", "-n", "update-rules", "-f", Path.Combine(dir, "old.yaml"));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _kubectl.KubectlAsync("apply", "-n", "update-rules", "-f", Path.Combine(dir, "new.yaml")));

        Assert.Contains("resource.instanceType: field is immutable", refused.Message.Split('\n'));
    }

    [Fact]
    public async Task An_omitted_instance_type_is_filled_in_shown_by_kubectl_and_its_reason_kept_in_the_audit_history()
    {
        const string name = "ws-default-sku";
        var yaml = Workspaces.Example("inference-phi-3.yaml", name).Replace("  instanceType: \"Standard_NC6s_v3\"\n", "", StringComparison.Ordinal);
        Assert.DoesNotContain("instanceType", yaml, StringComparison.Ordinal);

        await _kubectl.ApplyAsync(yaml);

        var row = Assert.Single((await _kubectl.GetAsync("workspace", name)).Rows);
        Assert.Equal("Standard_NV18ads_A10_v5", row["INSTANCE"]);
        var obj = await _kubectl.ObjectAsync("workspace", name);
        Assert.Equal(1, obj["resource"]!["count"]!.GetValue<int>());
        Assert.StartsWith("Standard_NV18ads_A10_v5 is the smallest of ",
            obj["metadata"]!["annotations"]![WorkspaceAdmission.InstanceTypeReasonAnnotation]!.GetValue<string>(), StringComparison.Ordinal);

        var key = $"default/{name}/{obj["metadata"]!["uid"]!.GetValue<string>()}";
        var audit = fixture.Silo!.Services.GetRequiredService<IGrainFactory>().GetGrain<IWorkspaceAuditGrain>(0);
        var history = await Eventually.ReturnsAsync(() => audit.GetWorkspaceHistory(key), h => h.Any(e => e.EventType == "workspace.requested"),
            Workspaces.Deadline, $"{name}: requested in the audit history");
        Assert.Contains("instance type: Standard_NV18ads_A10_v5 is the smallest of ", history.First(e => e.EventType == "workspace.requested").Summary, StringComparison.Ordinal);
        Assert.EndsWith("(filled in by the admission webhook)", history.First(e => e.EventType == "workspace.requested").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_is_deleted_while_the_webhooks_are_up()
    {
        const string name = "ws-delete-up";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await FinalizerAsync(name);

        await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=true", "--timeout=60s");

        Assert.False(await ExistsAsync(name));
    }

    [Fact]
    public async Task With_the_silo_down_nothing_is_blocked_and_on_restart_the_certificate_is_reused()
    {
        const string name = "ws-silo-down";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));
        await FinalizerAsync(name);
        var caBundle = await CaBundleAsync();
        var servingCert = await File.ReadAllTextAsync(Path.Combine(fixture.CertDir, FolderCertificateStore.CertificateFile));

        await fixture.StopSiloAsync();
        try
        {
            // Other kinds are never sent to the webhooks; Workspaces are let through (failurePolicy Ignore), at once.
            var clock = Stopwatch.StartNew();
            await _kubectl.KubectlAsync("create", "configmap", "while-down", "--from-literal=a=b");
            await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", "ws-created-while-down"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}: the API server waited for the webhook");

            // The delete is never intercepted; the finalizer's removal by hand is an update that must not be blocked.
            await _kubectl.KubectlAsync("delete", "workspace", name, "--wait=false");
            await _kubectl.KubectlAsync("patch", "workspace", name, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""");
            await Eventually.ReturnsAsync(() => ExistsAsync(name), exists => !exists, Workspaces.Deadline, $"{name} gone");
        }
        finally
        {
            await fixture.StartSiloAsync();
        }

        Assert.Equal(caBundle, await CaBundleAsync());
        Assert.Equal(servingCert, await File.ReadAllTextAsync(Path.Combine(fixture.CertDir, FolderCertificateStore.CertificateFile)));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _kubectl.KubectlAsync("apply", "-f", Path.Combine(Invalid, "unsupported-inference-preset.yaml")));
        Assert.Contains("inference.preset.name: Unsupported inference preset name \"phi-9\"", refused.Message.Split('\n'));
    }

    private async Task<bool> ExistsAsync(string name) =>
        (await _kubectl.KubectlAsync("get", "workspaces", "-o", "name")).Split('\n').Contains($"workspace.kaito.sh/{name}");

    private Task<string> CaBundleAsync() => _kubectl.KubectlAsync("get", "validatingwebhookconfiguration", "kaito-workspaces",
        "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}");

    private Task FinalizerAsync(string name) => Eventually.ReturnsAsync(() => _kubectl.ObjectAsync("workspace", name),
        o => o["metadata"]?["finalizers"]?.ToJsonString().Contains("workspace.finalizer.kaito.sh", StringComparison.Ordinal) == true,
        Workspaces.Deadline, $"{name}: finalizer");
}
