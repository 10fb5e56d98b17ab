using Kaito.NodeSimulator.Claims;
using Kaito.NodeSimulator.CommandLine;

namespace Kaito.NodeSimulator.Tests;

/// <summary>No cluster: the command line and the failure text are parsed as documented.</summary>
public sealed class SimulatorCommandLineTests
{
    [Fact]
    public void FlagsBecomeOptionsAndByoNodes()
    {
        var parsed = SimulatorCommandLine.Parse(
        [
            "--kubeconfig", "/tmp/k",
            "--fail-instance-type", "Standard_NC96ads_A100_v4=QuotaExceeded: over quota",
            "--byo-node", "name=gpu-1,instanceType=Standard_NC24ads_A100_v4,label=pool=byo,label=team=a",
            "--no-machines",
            "--crashloop-restart-seconds", "3",
        ]);

        Assert.Equal("/tmp/k", parsed.Kubeconfig);
        Assert.Equal("QuotaExceeded: over quota", parsed.Options.FailingInstanceTypes["Standard_NC96ads_A100_v4"]);
        Assert.False(parsed.Options.WatchMachines);
        Assert.Equal(TimeSpan.FromSeconds(3), parsed.Options.CrashLoopRestartInterval);
        var node = Assert.Single(parsed.ByoNodes);
        Assert.Equal(("gpu-1", "Standard_NC24ads_A100_v4"), (node.Name, node.InstanceType));
        Assert.Equal(new Dictionary<string, string> { ["pool"] = "byo", ["team"] = "a" }, node.Labels);
    }

    [Theory]
    [InlineData("--byo-node", "instanceType=Standard_NC6s_v3")]
    [InlineData("--fail-instance-type", "no-equals-sign")]
    [InlineData("--unknown", "x")]
    public void BadArgumentsAreRejected(string flag, string value) =>
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse([flag, value]));

    [Theory]
    [InlineData("QuotaExceeded: Operation could not be completed", "QuotaExceeded", "Operation could not be completed")]
    [InlineData("capacity is gone", "LaunchFailed", "capacity is gone")]
    [InlineData("Not a reason: text", "LaunchFailed", "Not a reason: text")]
    public void FailureTextSplitsIntoReasonAndMessage(string text, string reason, string message) =>
        Assert.Equal(new LaunchFailure(reason, message), LaunchFailure.Parse(text));
}
