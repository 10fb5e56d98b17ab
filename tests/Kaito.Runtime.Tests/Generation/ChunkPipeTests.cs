using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Generation;

public sealed class ChunkPipeTests
{
    [Fact]
    public async Task The_first_chunk_is_handled_on_the_producers_thread_before_write_returns()
    {
        var pipe = new ChunkPipe();
        int? readerThread = null;
        string? readText = null;
        var reader = WithoutSynchronizationContext(ReadFirstAsync);
        var producerThread = await RunOnOwnThread(() =>
        {
            pipe.Write(new GenerationChunk("a", null));
            // The reader's continuation has already run, on this thread, inside Write.
            Assert.Equal("a", readText);
            return Environment.CurrentManagedThreadId;
        });
        await reader;
        Assert.Equal(producerThread, readerThread);

        async Task ReadFirstAsync()
        {
            await pipe.FirstWritten;
            readerThread = Environment.CurrentManagedThreadId;
            Assert.True(pipe.Reader.TryRead(out var chunk));
            readText = chunk.Text;
        }
    }

    [Fact]
    public async Task Later_chunks_are_handed_to_another_thread_so_the_producer_never_runs_the_writer()
    {
        var pipe = new ChunkPipe();
        pipe.Write(new GenerationChunk("a", null));
        Assert.True(pipe.Reader.TryRead(out _));
        var resumed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = WithoutSynchronizationContext(WaitAsync);
        var producerThread = await RunOnOwnThread(() =>
        {
            pipe.Write(new GenerationChunk("b", null));
            return Environment.CurrentManagedThreadId;
        });
        Assert.NotEqual(producerThread, await resumed.Task);
        await reader;

        async Task WaitAsync()
        {
            Assert.True(await pipe.Reader.WaitToReadAsync());
            resumed.TrySetResult(Environment.CurrentManagedThreadId);
        }
    }

    [Fact]
    public async Task A_failed_producer_wakes_the_first_chunk_waiter_and_the_reader_sees_the_error()
    {
        var pipe = new ChunkPipe();
        pipe.Complete(new InvalidOperationException("boom"));
        await pipe.FirstWritten.WaitAsync(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipe.Reader.Completion);
        Assert.Equal("boom", error.Message);
    }

    /// <summary>Starts <paramref name="start"/> as ASP.NET Core runs a handler: without xunit's synchronization context.</summary>
    private static Task WithoutSynchronizationContext(Func<Task> start)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return start();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private static Task<T> RunOnOwnThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
