using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>
/// An Azure.Core pipeline policy (per retry, so the SDK's own retries see the faults) that breaks chosen requests to
/// a real Azurite: entity-group transactions ($batch) or head reads of one table, one fault per request, in order.
/// It can also run an action just before a batch is sent, to let another writer in first (a deterministic lost race).
/// </summary>
public sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<StorageFault> _batchFaults = new();
    private readonly ConcurrentQueue<StorageFault> _headReadFaults = new();
    private readonly ConcurrentQueue<(Func<HttpMessage, bool> Match, StorageFault Fault)> _otherFaults = new();
    private Func<Task>? _beforeNextBatch;

    /// <summary>Only requests about this table are touched (its name is in the batch body or the read's path).</summary>
    public required string TableName { get; init; }

    private int _batchesSent;

    /// <summary>Batches to the table that went through this policy (each SDK retry counts).</summary>
    public int BatchesSent => Volatile.Read(ref _batchesSent);

    public static TableServiceClient Client(string connectionString, FaultInjectionPolicy policy, int sdkRetries)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = sdkRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return new TableServiceClient(connectionString, options);
    }

    public void FailNextBatch(StorageFault fault) => _batchFaults.Enqueue(fault);

    public void FailNextHeadRead(StorageFault fault) => _headReadFaults.Enqueue(fault);

    /// <summary>Breaks the next request that <paramref name="match"/> picks (e.g. the table's creation).</summary>
    public void FailNext(Func<HttpMessage, bool> match, StorageFault fault) => _otherFaults.Enqueue((match, fault));

    /// <summary>Every request sent: method and decoded path and query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Runs <paramref name="action"/> (once) right before the next batch to the table is sent.</summary>
    public void BeforeNextBatch(Func<Task> action) => _beforeNextBatch = action;

    public bool AllFaultsUsed => _batchFaults.IsEmpty && _headReadFaults.IsEmpty && _otherFaults.IsEmpty;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        StorageFault? fault = null;
        var uri = message.Request.Uri.ToUri();
        Requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(uri.PathAndQuery)}");
        if (_otherFaults.TryPeek(out var other) && other.Match(message) && _otherFaults.TryDequeue(out other))
        {
            fault = other.Fault;
        }
        else if (IsBatchForTable(message))
        {
            Interlocked.Increment(ref _batchesSent);
            if (Interlocked.Exchange(ref _beforeNextBatch, null) is { } action)
            {
                await action();
            }

            fault = _batchFaults.TryDequeue(out var f) ? f : null;
        }
        else if (message.Request.Method == RequestMethod.Get && message.Request.Uri.ToUri().AbsolutePath.Contains(TableName, StringComparison.Ordinal)
            && Uri.UnescapeDataString(message.Request.Uri.ToUri().AbsolutePath).Contains("RowKey='head'", StringComparison.Ordinal))
        {
            fault = _headReadFaults.TryDequeue(out var f) ? f : null;
        }

        switch (fault)
        {
            case StorageFault.TimeoutBeforeSend:
                throw new TaskCanceledException("The request timed out before it was sent (injected).", new TimeoutException());
            case StorageFault.CommitThen503:
                await ProcessNextAsync(message, pipeline);
                message.Response = new InjectedResponse(503, message.Request.ClientRequestId);
                return;
            case StorageFault.CommitThenDroppedConnection:
                await ProcessNextAsync(message, pipeline);
                throw new IOException("The connection dropped after the request was sent (injected).");
            default:
                await ProcessNextAsync(message, pipeline);
                return;
        }
    }

    private bool IsBatchForTable(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Post || !message.Request.Uri.ToUri().AbsolutePath.EndsWith("$batch", StringComparison.Ordinal)
            || message.Request.Content is not { } content)
        {
            return false;
        }

        using var body = new MemoryStream();
        content.WriteTo(body, CancellationToken.None);
        return Encoding.UTF8.GetString(body.ToArray()).Contains("/" + TableName + "(", StringComparison.Ordinal);
    }
}
