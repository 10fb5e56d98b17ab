namespace Kaito.CrdBridge.Tests.Status;

/// <summary>Counts the requests a client sends, as "METHOD path".</summary>
public sealed class RequestCountingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<string> _requests = [];

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
