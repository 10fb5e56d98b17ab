using System.Text.RegularExpressions;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>
/// Sits in the client's HTTP pipeline: counts list and watch requests and, when armed, holds the next watch request
/// until released and then sends it from resourceVersion 1, which the API server answers with 410 Gone.
/// </summary>
public sealed partial class WatchFaultHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;
    private int _watches;
    private int _lists;

    public int Watches => Volatile.Read(ref _watches);

    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Completes when an armed watch request is being held.</summary>
    public Task Held => _held.Task;

    public void ArmExpiredWatch() => Volatile.Write(ref _armed, 1);

    public void Release() => _release.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (request.Method == HttpMethod.Get && uri.Query.Contains("watch=true", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _watches);
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _held.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
                request.RequestUri = new Uri(ResourceVersion().Replace(uri.ToString(), "resourceVersion=1"));
            }
        }
        else if (request.Method == HttpMethod.Get && uri.Query.Contains("limit=", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _lists);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    [GeneratedRegex("resourceVersion=[0-9]+")]
    private static partial Regex ResourceVersion();
}
