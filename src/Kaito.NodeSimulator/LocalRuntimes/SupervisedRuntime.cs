using System.ComponentModel;
using Microsoft.Extensions.Logging;

namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// One pod's runtime, kept alive as a kubelet keeps a container with <c>restartPolicy: Always</c>: start it on a
/// loopback port, poll <c>/healthz</c> until it answers (then Ready), and when the process exits record how
/// (<see cref="RuntimeTermination"/>, with the message from its <see cref="TerminationMessageFile"/>), count a restart, wait out the back-off (CrashLoopBackOff) and start it again.
/// Every change is published as a <see cref="RuntimeSnapshot"/> and announced through <c>changed</c>.
/// </summary>
internal sealed partial class SupervisedRuntime(
    RuntimeLaunch launch,
    int restartCount,
    LocalRuntimeOptions options,
    HttpClient http,
    TimeProvider clock,
    Action changed,
    ILogger logger) : IAsyncDisposable
{
    /// <summary>A process that ran this long without crashing resets the back-off (the kubelet's rule).</summary>
    private static readonly TimeSpan BackoffReset = TimeSpan.FromMinutes(10);

    private readonly CancellationTokenSource _stop = new();
    private RuntimeSnapshot? _current;
    private Task _loop = Task.CompletedTask;

    /// <summary>Null until the first process was started.</summary>
    public RuntimeSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>The running process's id (null while none runs): for tests and logs.</summary>
    public int? ProcessId { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var crashes = 0;
        RuntimeTermination? last = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                port = LoopbackPorts.IsFree(port) ? port : LoopbackPorts.Free();
                var endpoint = $"http://127.0.0.1:{port}";
                var startedAt = Now();
                last = await RunOnceAsync(endpoint, port, startedAt, last, cancellationToken);
                crashes = last.FinishedAt - last.StartedAt >= BackoffReset ? 1 : crashes + 1;
                restartCount++;
                var backoff = RestartBackoff.Delay(crashes, options.InitialBackoff, options.MaxBackoff);
                LogExited(logger, launch.LogPath ?? endpoint, last.ExitCode, RestartBackoff.Format(backoff));
                Publish(new RuntimeSnapshot(RuntimePhase.BackingOff, endpoint, restartCount, startedAt, last, backoff));
                await Task.Delay(backoff, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs the process until it exits (its termination) or until cancelled (killed, then throws).</summary>
    private async Task<RuntimeTermination> RunOnceAsync(string endpoint, int port, DateTime startedAt, RuntimeTermination? last, CancellationToken cancellationToken)
    {
        RuntimeProcess process;
        try
        {
            launch.TerminationMessage.Prepare();
            process = RuntimeProcess.Start(launch.Command, launch.EnvironmentFor(port), launch.LogPath);
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            // containerd's answer when a container's command cannot run.
            return new RuntimeTermination(128, "StartError", $"{launch.Command[0]}: {e.Message}", startedAt, Now());
        }

        using (process)
        {
            ProcessId = process.Id;
            try
            {
                Publish(new RuntimeSnapshot(RuntimePhase.Starting, endpoint, restartCount, startedAt, last, TimeSpan.Zero));
                if (await WaitHealthyAsync(endpoint, process.Exited, cancellationToken))
                {
                    LogServing(logger, endpoint, process.Id);
                    Publish(new RuntimeSnapshot(RuntimePhase.Serving, endpoint, restartCount, startedAt, last, TimeSpan.Zero));
                }

                var exitCode = await process.Exited.WaitAsync(cancellationToken);
                var message = launch.TerminationMessage.Read(exitCode, () => process.Output);
                return new RuntimeTermination(exitCode, exitCode == 0 ? "Completed" : "Error", message, startedAt, Now());
            }
            catch (OperationCanceledException)
            {
                await process.KillAsync();
                LogStopped(logger, endpoint, process.Id);
                throw;
            }
            finally
            {
                ProcessId = null;
            }
        }
    }

    /// <summary>True once <c>/healthz</c> answers 200; false when the process exits first.</summary>
    private async Task<bool> WaitHealthyAsync(string endpoint, Task exited, CancellationToken cancellationToken)
    {
        var healthz = new Uri(endpoint + "/healthz");
        while (!exited.IsCompleted)
        {
            try
            {
                using var response = await http.GetAsync(healthz, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe timed out.
            }

            await Task.WhenAny(exited, Task.Delay(options.HealthPollInterval, clock, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return false;
    }

    private void Publish(RuntimeSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        changed();
    }

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime {Endpoint} (pid {ProcessId}) answers /healthz")]
    private static partial void LogServing(ILogger logger, string endpoint, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runtime {Runtime} exited with {ExitCode}; restarting after {Backoff}")]
    private static partial void LogExited(ILogger logger, string runtime, int exitCode, string backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime {Endpoint} (pid {ProcessId}) stopped")]
    private static partial void LogStopped(ILogger logger, string endpoint, int processId);
}
