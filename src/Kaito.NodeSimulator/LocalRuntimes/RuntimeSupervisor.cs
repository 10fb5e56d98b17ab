using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// The runtime processes of the inference pods on simulated nodes, one <see cref="SupervisedRuntime"/> per pod uid:
/// started when the simulated kubelet first reconciles the pod, stopped when the pod goes away. Each process gets the
/// environment a kubelet gives the model container (its plain <c>env</c> values) plus the simulator's settings, and a
/// termination-message file of its own under <see cref="LocalRuntimeOptions.StateDirectory"/>: a runtime never writes
/// this machine's <c>/dev/termination-log</c>.
/// </summary>
internal sealed partial class RuntimeSupervisor(LocalRuntimeOptions options, TimeProvider clock, Action<string> podChanged, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SupervisedRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _state = options.StateDirectory
        ?? Path.Combine(Path.GetTempPath(), "kaito-node-simulator-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The pod's container's termination-message file on this machine.</summary>
    public string TerminationMessagePath(string uid, string container) => Path.Combine(_state, uid, container, "termination-log");

    /// <summary>
    /// The pod's runtime, started now if it has none (<paramref name="restartCount"/>: the container's count so far,
    /// so that a restarted simulator goes on counting). Null until its first process was started.
    /// </summary>
    public RuntimeSnapshot? Ensure(V1Pod pod, string podKey, int restartCount)
    {
        var uid = pod.Metadata.Uid;
        if (_runtimes.TryGetValue(uid, out var existing))
        {
            return existing.Current;
        }

        var runtime = new SupervisedRuntime(Launch(pod), restartCount, options, _http, clock, () => podChanged(podKey), logger);
        if (_runtimes.TryAdd(uid, runtime))
        {
            LogStarting(logger, podKey, string.Join(' ', options.Command));
            runtime.Start();
        }

        return _runtimes[uid].Current;
    }

    /// <summary>The pid of the pod's running process, or null (none, or backing off).</summary>
    public int? ProcessIdOf(string uid) => _runtimes.TryGetValue(uid, out var runtime) ? runtime.ProcessId : null;

    /// <summary>Kills the pod's process, if any, and forgets it.</summary>
    public async Task StopAsync(string uid)
    {
        if (_runtimes.TryRemove(uid, out var runtime))
        {
            await runtime.DisposeAsync();
            DeleteFolder(Path.Combine(_state, uid));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_runtimes.Keys.ToList().Select(StopAsync));
        _http.Dispose();
        if (options.StateDirectory is null)
        {
            DeleteFolder(_state);
        }
    }

    private RuntimeLaunch Launch(V1Pod pod)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Runtime__ModelDirectory"] = options.ModelDirectory,
            ["Runtime__ModelName"] = InferencePods.ModelName(pod),
            ["Runtime__AdapterDirectory"] = options.AdapterDirectory ?? Path.Combine(options.ModelDirectory, "adapters"),
            // Light on a small machine: several runtimes share its cores.
            ["Runtime__MaxConcurrentGenerations"] = "1",
            ["Runtime__IntraOpThreads"] = "1",
            ["DOTNET_gcServer"] = "0",
        };
        var container = pod.Spec.Containers[0];
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is null)
            {
                environment[variable.Name] = variable.Value ?? "";
            }
        }

        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var terminationMessage = new TerminationMessageFile(
            TerminationMessagePath(pod.Metadata.Uid, container.Name),
            container.TerminationMessagePolicy ?? TerminationMessageFile.FilePolicy);
        // Never the pod's to choose: loopback only, and a file of the simulator's (not this machine's /dev/termination-log).
        environment["Runtime__ListenAddress"] = "127.0.0.1";
        environment[RuntimeLaunch.TerminationMessageVariable] = terminationMessage.HostPath;
        var log = options.LogDirectory is null ? null : Path.Combine(options.LogDirectory, $"{pod.Metadata.NamespaceProperty}_{pod.Metadata.Name}.log");
        return new RuntimeLaunch(options.Command, environment, log, terminationMessage);
    }

    private void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(logger, folder, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Pod}: starting its runtime ({Command})")]
    private static partial void LogStarting(ILogger logger, string pod, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Folder}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string folder, string reason);
}
