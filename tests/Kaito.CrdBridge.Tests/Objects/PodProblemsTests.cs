using k8s;
using k8s.Models;
using Kaito.CrdBridge.Objects;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>No cluster: the problem a crash-looping pod reports, with what its container wrote when it stopped.</summary>
public sealed class PodProblemsTests
{
    private const string BackOff = "back-off 40s restarting failed container=model pod=ws-7d9f-abcde_default(0c1d)";

    [Fact]
    public void A_crash_loop_names_the_exit_code_and_the_runtimes_termination_message_instead_of_the_back_off()
    {
        var pod = Pod("""
            {"name":"model","image":"m","imageID":"","ready":false,"restartCount":3,
             "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s restarting failed container=model"}},
             "lastState":{"terminated":{"reason":"Error","exitCode":1,
               "message":"Adapter tuned (/mnt/adapter/tuned) cannot be loaded: the folder holds neither a PEFT adapter nor a *.onnx_adapter file.\n"}}}
            """);

        var problem = PodProblems.Find([pod]);

        Assert.Equal(
            ("CrashLoopBackOff", "pod ws-7d9f-abcde: container model (restarts 3): CrashLoopBackOff: exit code 1: " +
                "Adapter tuned (/mnt/adapter/tuned) cannot be loaded: the folder holds neither a PEFT adapter nor a *.onnx_adapter file."),
            problem);
    }

    [Fact]
    public void A_crash_loop_without_a_termination_message_keeps_the_kubelets_back_off_message()
    {
        var pod = Pod("""
            {"name":"model","image":"m","imageID":"","ready":false,"restartCount":2,
             "state":{"waiting":{"reason":"CrashLoopBackOff","message":"BACKOFF"}},
             "lastState":{"terminated":{"reason":"Error","exitCode":1}}}
            """.Replace("BACKOFF", BackOff, StringComparison.Ordinal));

        Assert.Equal(("CrashLoopBackOff", $"pod ws-7d9f-abcde: container model (restarts 2): CrashLoopBackOff: {BackOff}"), PodProblems.Find([pod]));
    }

    [Fact]
    public void A_restarting_container_reports_its_last_error_with_the_log_tail_on_one_bounded_line()
    {
        var tail = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"info: line {i:D2}\twith a tab " + new string('x', 20))) + "\nUnhandled exception: out of range";
        var pod = Pod(KubernetesJson.Serialize(new V1ContainerStatus
        {
            Name = "model", Image = "m", ImageID = "", Ready = false, RestartCount = 1,
            State = new V1ContainerState { Running = new V1ContainerStateRunning() },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = "Error", ExitCode = 134, Message = tail } },
        }));

        var (reason, message) = PodProblems.Find([pod])!.Value;

        Assert.Equal("Error", reason);
        Assert.StartsWith("pod ws-7d9f-abcde: container model (restarts 1): Error: exit code 134: ... | info: line ", message, StringComparison.Ordinal);
        Assert.EndsWith("info: line 80 with a tab xxxxxxxxxxxxxxxxxxxx | Unhandled exception: out of range", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\t', message);
        Assert.InRange(message.Length, 0, TerminationMessageText.MaxLength + 100);
    }

    [Fact]
    public void An_oom_kill_says_so_with_its_exit_code()
    {
        var pod = Pod("""
            {"name":"model","image":"m","imageID":"","ready":false,"restartCount":4,
             "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},
             "lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}
            """);

        Assert.Equal(("OOMKilled", "pod ws-7d9f-abcde: container model (restarts 4): OOMKilled: exit code 137"), PodProblems.Find([pod]));
    }

    private static V1Pod Pod(string containerStatusJson) => KubernetesJson.Deserialize<V1Pod>($$$"""
        {"metadata":{"name":"ws-7d9f-abcde","namespace":"default"},
         "spec":{"containers":[{"name":"model","image":"m"}]},
         "status":{"phase":"Running","containerStatuses":[{{{containerStatusJson}}}]}}
        """);
}
