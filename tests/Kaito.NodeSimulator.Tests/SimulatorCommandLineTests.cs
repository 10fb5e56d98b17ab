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

    [Fact]
    public void ServeRuntimeFlagsBecomeLocalRuntimeOptions()
    {
        var model = Directory.CreateTempSubdirectory("kaito-cli-model-").FullName;
        File.WriteAllText(Path.Combine(model, "genai_config.json"), "{}");
        try
        {
            var parsed = SimulatorCommandLine.Parse(
            [
                "--serve-runtime", "--runtime-model", model, "--runtime-command", "dotnet /opt/Kaito.Runtime.dll",
                "--runtime-log-dir", "/tmp/logs", "--runtime-state-dir", "/tmp/kubelet", "--runtime-backoff-seconds", "3", "--runtime-env", "Runtime__DefaultMaxTokens=8",
            ]);

            var runtime = parsed.Options.LocalRuntime ?? throw new InvalidOperationException("no LocalRuntime");
            Assert.Equal(model, runtime.ModelDirectory);
            Assert.Equal(["dotnet", "/opt/Kaito.Runtime.dll"], runtime.Command);
            Assert.Equal("/tmp/logs", runtime.LogDirectory);
            Assert.Equal("/tmp/kubelet", runtime.StateDirectory);
            Assert.Equal(TimeSpan.FromSeconds(3), runtime.InitialBackoff);
            Assert.Equal("8", runtime.Environment["Runtime__DefaultMaxTokens"]);
        }
        finally
        {
            Directory.Delete(model, recursive: true);
        }
    }

    [Fact]
    public void WithoutServeRuntimeNoPodGetsARuntime() => Assert.Null(SimulatorCommandLine.Parse([]).Options.LocalRuntime);

    [Theory]
    [InlineData("--serve-runtime")]
    [InlineData("--serve-runtime", "--runtime-model", "/no/such/model")]
    [InlineData("--runtime-model", "/tmp")]
    public void ServeRuntimeNeedsAModelFolderAndTheRuntimeFlagsNeedServeRuntime(params string[] args) =>
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(args));

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
