using Kaito.CrdBridge.Watching;
using Kaito.Grains.Workspaces;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Records every call; tests await a matching call with a deadline.</summary>
public sealed class RecordingWatchSink : IWatchSink
{
    private readonly Lock _gate = new();
    private readonly List<SinkCall> _calls = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SinkCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToList();
            }
        }
    }

    /// <summary>While set, ApplySpec of a workspace of this name records the call, then waits for <see cref="Unblock"/>.</summary>
    public string? BlockName { get; set; }

    private readonly TaskCompletionSource _unblocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Unblock() => _unblocked.TrySetResult();

    /// <summary>ApplySpec of a workspace of this name records the call, then fails, <see cref="FailTimes"/> times.</summary>
    public string? FailName { get; set; }

    public int FailTimes { get; set; }

    public async Task ApplySpecAsync(WorkspaceKey key, string workspaceJson, string cause, CancellationToken cancellationToken)
    {
        await Record(new SinkCall(nameof(ApplySpecAsync), key.ToString(), cause, workspaceJson));
        if (key.Name == FailName && FailTimes > 0)
        {
            FailTimes--;
            throw new TimeoutException("the silo holding the grain is gone");
        }

        if (key.Name == BlockName)
        {
            await _unblocked.Task.WaitAsync(cancellationToken);
        }
    }

    public Task RequestDeletionAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken) =>
        Record(new SinkCall(nameof(RequestDeletionAsync), key.ToString(), cause, null));

    public Task WorkloadChangedAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken) =>
        Record(new SinkCall(nameof(WorkloadChangedAsync), key.ToString(), cause, null));

    public Task MachineChangedAsync(string machineName, string cause, CancellationToken cancellationToken) =>
        Record(new SinkCall(nameof(MachineChangedAsync), machineName, cause, null));

    public async Task<SinkCall> WaitForAsync(Func<SinkCall, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_calls.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"No sink call {what}; calls: {string.Join(", ", Calls.Select(c => $"{c.Method}({c.Key}, {c.Cause})"))}");
            }
        }
    }

    private Task Record(SinkCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return Task.CompletedTask;
    }
}
