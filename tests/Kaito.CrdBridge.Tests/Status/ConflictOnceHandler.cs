namespace Kaito.CrdBridge.Tests.Status;

/// <summary>Before the first PUT to a /status subresource goes out, runs a concurrent write so that the PUT conflicts.</summary>
public sealed class ConflictOnceHandler(Func<Task> concurrentWrite) : DelegatingHandler
{
    private int _done;
    private int _statusWrites;

    public int StatusWrites => Volatile.Read(ref _statusWrites);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath.EndsWith("/status", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _statusWrites);
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                await concurrentWrite();
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
