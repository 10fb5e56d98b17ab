namespace Kaito.NodeSimulator.CommandLine;

/// <summary>The simulator's command line: <see cref="Usage"/>.</summary>
internal sealed record SimulatorCommandLine(string? Kubeconfig, NodeSimulatorOptions Options, IReadOnlyList<ByoNode> ByoNodes, bool Help)
{
    public const string Usage = """
        kaito-node-simulator: simulated GPU nodes and kubelet for a cluster without nodes.
          --kubeconfig PATH                     the cluster (default: $KUBECONFIG, then ~/.kube/config)
          --fail-instance-type TYPE="R: MSG"    NodeClaims/Machines of TYPE fail to launch (Launched False, reason R, message MSG); repeatable
          --byo-node name=N,instanceType=T[,label=K=V...]   register a Ready GPU node without a NodeClaim; repeatable
          --no-machines                         do not watch machines.karpenter.sh/v1alpha5
          --crashloop-restart-seconds N         how often a crash-looping container restarts (default 10)
          --serve-runtime                       run a real Kaito.Runtime process behind each inference pod (needs --runtime-model)
          --runtime-model DIR                   the GenAI model folder the runtimes serve
          --runtime-command "CMD [ARGS]"        how to start the runtime, split at spaces (default: src/Kaito.Runtime's build beside this one)
          --runtime-log-dir DIR                 append each runtime's output to DIR/<namespace>_<pod>.log
          --runtime-state-dir DIR               keep each runtime's termination-message file in DIR/<pod uid>/<container>/ (default: a temp folder)
          --runtime-backoff-seconds N           the first restart back-off after a runtime exits (default 10, doubling to 300)
          --runtime-env NAME=VALUE              extra environment for the runtimes; repeatable
        Annotations: sim.kaito.sh/fail on a NodeClaim/Machine, sim.kaito.sh/crashloop ("true"|"oom") on a Pod,
        sim.kaito.sh/job-outcome ("failed") on a Job's pod template.
        With --serve-runtime the simulator writes kaito.sh/local-endpoint (http://127.0.0.1:PORT) on each inference pod.
        """;

    public static SimulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        string? kubeconfig = null;
        var failing = new Dictionary<string, string>(StringComparer.Ordinal);
        var byo = new List<ByoNode>();
        var machines = true;
        var help = false;
        var restart = TimeSpan.FromSeconds(10);
        var runtime = new RuntimeArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--kubeconfig":
                    kubeconfig = Value();
                    break;
                case "--fail-instance-type":
                    var (type, reason) = Split(Value(), '=', arg);
                    failing[type] = reason;
                    break;
                case "--byo-node":
                    byo.Add(ParseByoNode(Value()));
                    break;
                case "--no-machines":
                    machines = false;
                    break;
                case "--crashloop-restart-seconds":
                    restart = int.TryParse(Value(), out var seconds) && seconds > 0
                        ? TimeSpan.FromSeconds(seconds)
                        : throw new ArgumentException("--crashloop-restart-seconds needs a positive whole number");
                    break;
                case "--serve-runtime":
                    runtime.Serve = true;
                    break;
                case "--runtime-model":
                    runtime.Model = Value();
                    break;
                case "--runtime-command":
                    runtime.Command = Value().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--runtime-log-dir":
                    runtime.LogDirectory = Value();
                    break;
                case "--runtime-state-dir":
                    runtime.StateDirectory = Value();
                    break;
                case "--runtime-backoff-seconds":
                    runtime.Backoff = int.TryParse(Value(), out var backoff) && backoff > 0
                        ? TimeSpan.FromSeconds(backoff)
                        : throw new ArgumentException("--runtime-backoff-seconds needs a positive whole number");
                    break;
                case "--runtime-env":
                    var (name, value) = Split(Value(), '=', arg);
                    runtime.Environment[name] = value;
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument {arg}");
            }
        }

        var options = new NodeSimulatorOptions
        {
            FailingInstanceTypes = failing,
            WatchMachines = machines,
            CrashLoopRestartInterval = restart,
            LocalRuntime = help ? null : runtime.ToOptions(),
        };
        return new SimulatorCommandLine(kubeconfig, options, byo, help);
    }

    private static ByoNode ParseByoNode(string text)
    {
        string? name = null;
        string? instanceType = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = Split(part, '=', "--byo-node");
            switch (key)
            {
                case "name":
                    name = value;
                    break;
                case "instanceType":
                    instanceType = value;
                    break;
                case "label":
                    var (labelKey, labelValue) = Split(value, '=', "--byo-node label");
                    labels[labelKey] = labelValue;
                    break;
                default:
                    throw new ArgumentException($"--byo-node: unknown key {key} (name, instanceType, label)");
            }
        }

        return new ByoNode(
            name ?? throw new ArgumentException("--byo-node needs name=..."),
            instanceType ?? throw new ArgumentException("--byo-node needs instanceType=..."),
            labels);
    }

    private static (string Key, string Value) Split(string text, char separator, string what)
    {
        var at = text.IndexOf(separator, StringComparison.Ordinal);
        return at > 0 ? (text[..at], text[(at + 1)..]) : throw new ArgumentException($"{what}: expected KEY{separator}VALUE, got '{text}'");
    }
}
