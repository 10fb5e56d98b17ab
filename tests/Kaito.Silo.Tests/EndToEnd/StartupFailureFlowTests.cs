namespace Kaito.Silo.Tests.EndToEnd;

/// <summary>
/// A runtime that cannot load its adapter exits with the reason in its termination message; the simulated kubelet
/// reports it on the pod and the control plane puts it in the Workspace's InferenceReady condition.
/// </summary>
public sealed class StartupFailureFlowTests(BrokenAdapterControlPlaneFixture fixture) : IClassFixture<BrokenAdapterControlPlaneFixture>
{
    private readonly Workspaces _kubectl = new(fixture);

    [Fact]
    public async Task A_runtime_that_cannot_load_its_adapter_puts_its_reason_in_the_InferenceReady_condition()
    {
        const string name = "ws-bad-adapter";
        var reason = $"Adapter {BrokenAdapterControlPlaneFixture.AdapterName} ({fixture.AdapterFolder}) cannot be loaded: ";
        await _kubectl.ApplyAsync(Workspaces.Example("inference-phi-3.yaml", name));

        var inference = await _kubectl.ConditionAsync(
            name, "InferenceReady", c => c["message"]?.GetValue<string>().Contains(reason, StringComparison.Ordinal) == true, "message with the runtime's reason");

        Assert.Equal("False", inference["status"]!.GetValue<string>());
        Assert.Contains(inference["reason"]!.GetValue<string>(), new[] { "CrashLoopBackOff", "Error" });
        var message = inference["message"]!.GetValue<string>();
        Assert.StartsWith("0/1 replicas ready; pod ", message, StringComparison.Ordinal);
        Assert.Contains("exit code 1: " + reason, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        var row = (await _kubectl.GetAsync("workspace", name)).Rows[0];
        Assert.Equal(("True", "False", "False"), (row["RESOURCEREADY"], row["INFERENCEREADY"], row["WORKSPACEREADY"]));
    }
}
