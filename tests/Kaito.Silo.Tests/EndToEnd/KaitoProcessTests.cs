using System.Diagnostics;
using k8s;

namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// <c>kaito run</c> as the process an operator starts, with the JSON logs of the installed Deployment: it serves a
/// Workspace, then stops cleanly on SIGTERM.
/// </summary>
public sealed class KaitoProcessTests
{
    [Fact]
    public async Task Kaito_run_as_a_process_brings_a_workspace_to_ready_logs_one_json_object_a_line_and_exits_0_on_SIGTERM()
    {
        await using var cluster = await LocalKubernetes.StartAsync();
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        await using var simulator = new NodeSimulator.NodeSimulator(client);
        simulator.Start();
        await simulator.RegisterNodeAsync("gpu-0", "Standard_NC6s_v3", new Dictionary<string, string> { ["apps"] = "phi-3" });
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "kaito"),
            ["run", "--kubeconfig", cluster.KubeconfigPath, "--storage", await AzuriteStorage.GetConnectionStringAsync(), "--provisioner", "byo",
             "--table-prefix", AzuriteStorage.NewTablePrefix(), "--silo-port", ControlPlaneFixture.FreePort().ToString(), "--gateway-port", ControlPlaneFixture.FreePort().ToString(),
             "--set", $"Operations:Port={ControlPlaneFixture.FreePort()}", "--audit-url", $"http://127.0.0.1:{ControlPlaneFixture.FreePort()}",
             "--log-format", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kaito = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        kaito.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        kaito.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        kaito.BeginOutputReadLine();
        kaito.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => output.Any(l => l.Contains("CRD bridge running", StringComparison.Ordinal)), Workspaces.Deadline,
                "kaito run has installed the CRD and started the bridge");
            await cluster.KubectlAsync("apply", "-f", RepoPaths.Of("examples", "inference-phi-3.yaml"));
            await Eventually.ReturnsAsync(() => cluster.KubectlAsync("get", "workspace", "workspace-phi-3-mini", "-o", "jsonpath={.status.conditions[?(@.type==\"WorkspaceSucceeded\")].status}"),
                s => s == "True", Workspaces.Deadline, "WORKSPACEREADY True");

            Process.Start("kill", ["-TERM", kaito.Id.ToString()])!.WaitForExit();

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            await kaito.WaitForExitAsync(deadline.Token);
            Assert.True(kaito.ExitCode == 0, $"exit code {kaito.ExitCode}:\n{string.Join('\n', output)}");
            AssertJsonLogs(output);
        }
        finally
        {
            if (!kaito.HasExited)
            {
                kaito.Kill(entireProcessTree: true);
            }
        }
    }

    // Each line an object with the level, the category and the [LoggerMessage] fields as State properties.
    private static void AssertJsonLogs(IEnumerable<string> output)
    {
        var lines = output.Where(l => l.Length > 0).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(lines, l => Assert.True(l["LogLevel"] is not null && l["Category"] is not null && l["Message"] is not null, l.ToJsonString()));
        var serving = Assert.Single(lines, l => l["Category"]!.GetValue<string>() == "Kaito.Silo.Operations.OperationsServer");
        Assert.Equal("127.0.0.1", serving["State"]!["Host"]!.GetValue<string>());
    }
}
