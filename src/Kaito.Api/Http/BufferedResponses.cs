namespace Kaito.Api.Http;

/// <summary>
/// Reads every API server answer into memory, asynchronously, before KubernetesClient sees it; watches and log
/// follows pass through as streams. KubernetesClient sends with <c>ResponseHeadersRead</c> and then deserializes the
/// body with the synchronous <c>JsonSerializer.Deserialize(Stream)</c>: on HTTP/2 each such read blocks a thread-pool
/// thread until the body arrives. Under load (200 workspaces listing nodes at once) that starved the pool for seconds
/// and stalled every grain in the silo. A buffered body is read from memory and never blocks.
/// </summary>
public sealed class BufferedResponses : DelegatingHandler
{
    public BufferedResponses()
    {
    }

    public BufferedResponses(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Put in front of every request a <c>k8s.Kubernetes</c> client sends (its constructor takes handlers).</summary>
    public static DelegatingHandler[] With(params DelegatingHandler[] handlers) => [new BufferedResponses(), .. handlers];

    /// <summary>True for requests whose answer is an open-ended stream: <c>watch=true</c> or <c>follow=true</c>.</summary>
    public static bool IsStream(HttpRequestMessage request)
    {
        var query = request.RequestUri?.Query;
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }

        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            if ((name is "watch" or "follow") && (value is "true" or "1" or "True"))
            {
                return true;
            }
        }

        return false;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!IsStream(request))
        {
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        return response;
    }
}
