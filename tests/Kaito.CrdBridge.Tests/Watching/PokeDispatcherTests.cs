using Kaito.CrdBridge.Watching;
using Kaito.Grains.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kaito.CrdBridge.Tests.Watching;

public sealed class PokeDispatcherTests
{
    [Fact]
    public async Task A_burst_of_pokes_for_one_workspace_makes_one_call_in_flight_and_one_queued_with_the_latest_cause()
    {
        var sink = new BlockingSink();
        await using var pokes = new PokeDispatcher(sink, NullLogger<PokeDispatcher>.Instance);
        var key = new WorkspaceKey("ns", "ws", "uid-1");

        pokes.PokeWorkspace(key, "watch:pod-modified-0");
        await sink.FirstCall.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i <= 100; i++)
        {
            pokes.PokeWorkspace(key, $"watch:pod-modified-{i}");
        }

        pokes.PokeWorkspace(new WorkspaceKey("ns", "other", "uid-2"), "watch:deployment-added");
        sink.Release();
        await sink.WaitForCallsAsync(3);

        Assert.Equal(["watch:pod-modified-0", "watch:pod-modified-100"], sink.Calls.Where(c => c.Key == key.ToString()).Select(c => c.Cause));
        Assert.Single(sink.Calls, c => c.Key == "ns/other/uid-2");
    }

    private sealed class BlockingSink : IWatchSink
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<(string Key, string Cause)> _calls = [];

        public Task FirstCall => _first.Task;

        public List<(string Key, string Cause)> Calls
        {
            get
            {
                lock (_gate)
                {
                    return _calls.ToList();
                }
            }
        }

        public void Release() => _release.TrySetResult();

        public async Task WaitForCallsAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Calls.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {Calls.Count} calls");
                await Task.Delay(10);
            }
        }

        public async Task WorkloadChangedAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _calls.Add((key.ToString(), cause));
            }

            _first.TrySetResult();
            await _release.Task;
        }

        public Task ApplySpecAsync(WorkspaceKey key, string workspaceJson, string cause, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RequestDeletionAsync(WorkspaceKey key, string cause, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task MachineChangedAsync(string machineName, string cause, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
