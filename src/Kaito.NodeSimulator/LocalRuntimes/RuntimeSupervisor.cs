using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// The runtime processes of the inference pods on simulated nodes, one <see cref="SupervisedRuntime"/> per pod uid:
/// started when the simulated kubelet first reconciles the pod, stopped when the pod goes away.
/// </summary>
internal sealed partial class RuntimeSupervisor(LocalRuntimeOptions options, TimeProvider clock, Action<string> podChanged, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SupervisedRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

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
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_runtimes.Keys.ToList().Select(StopAsync));
        _http.Dispose();
    }

    private RuntimeLaunch Launch(V1Pod pod)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Runtime__ModelDirectory"] = options.ModelDirectory,
            ["Runtime__ModelName"] = InferencePods.ModelName(pod),
            ["Runtime__AdapterDirectory"] = options.AdapterDirectory ?? Path.Combine(options.ModelDirectory, "adapters"),
            ["Runtime__ListenAddress"] = "127.0.0.1",
            // Light on a small machine: several runtimes share its cores.
            ["Runtime__MaxConcurrentGenerations"] = "1",
            ["Runtime__IntraOpThreads"] = "1",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        var log = options.LogDirectory is null ? null : Path.Combine(options.LogDirectory, $"{pod.Metadata.NamespaceProperty}_{pod.Metadata.Name}.log");
        return new RuntimeLaunch(options.Command, environment, log);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Pod}: starting its runtime ({Command})")]
    private static partial void LogStarting(ILogger logger, string pod, string command);
}
