using System.Text;
using Kaito.NodeSimulator.LocalRuntimes;

namespace Kaito.NodeSimulator.Tests.LocalRuntimes;

/// <summary>No cluster: the kubelet's terminationMessagePolicy semantics for a runtime's termination-message file.</summary>
public sealed class TerminationMessageFileTests : IDisposable
{
    private const string LogTail = "line 1\nline 2: it broke";

    private readonly string _folder = Directory.CreateTempSubdirectory("kaito-termination-").FullName;

    [Theory]
    [InlineData(TerminationMessageFile.FilePolicy, 1)]
    [InlineData(TerminationMessageFile.FallbackToLogsOnErrorPolicy, 1)]
    [InlineData(TerminationMessageFile.FilePolicy, 0)]
    public void WhatTheProcessWroteIsTheMessageWhateverThePolicy(string policy, int exitCode)
    {
        var file = Prepared(policy);
        File.WriteAllText(file.HostPath, "Adapter tuned (/mnt/adapter/tuned) cannot be loaded: no lora_B");

        Assert.Equal("Adapter tuned (/mnt/adapter/tuned) cannot be loaded: no lora_B", file.Read(exitCode, () => LogTail));
    }

    [Fact]
    public void AnEmptyFileFallsBackToTheLogTailOnlyOnAnErrorExitWithFallbackToLogsOnError()
    {
        Assert.Equal(LogTail, Prepared(TerminationMessageFile.FallbackToLogsOnErrorPolicy).Read(137, () => LogTail));
        Assert.Equal("", Prepared(TerminationMessageFile.FallbackToLogsOnErrorPolicy).Read(0, () => LogTail));
        Assert.Equal("", Prepared(TerminationMessageFile.FilePolicy).Read(1, () => LogTail));
    }

    [Fact]
    public void PreparingForANewContainerEmptiesTheLastRunsMessage()
    {
        var file = Prepared(TerminationMessageFile.FilePolicy);
        File.WriteAllText(file.HostPath, "the first run's reason");

        file.Prepare();

        Assert.Equal("", file.Read(1, () => LogTail));
    }

    [Fact]
    public void OnlyTheFirst4096BytesAreRead()
    {
        var file = Prepared(TerminationMessageFile.FilePolicy);
        File.WriteAllText(file.HostPath, new string('x', 5000));

        Assert.Equal(TerminationMessageFile.MaxBytes, Encoding.UTF8.GetByteCount(file.Read(1, () => LogTail)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private TerminationMessageFile Prepared(string policy)
    {
        var file = new TerminationMessageFile(Path.Combine(_folder, Guid.NewGuid().ToString("N"), "model", "termination-log"), policy);
        file.Prepare();
        return file;
    }
}
