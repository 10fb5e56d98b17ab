using System.Net;

namespace Kaito.Testing.Arm;

/// <summary>
/// Azure.Core's bearer policy refuses plain http, so the pipeline keeps <c>https://127.0.0.1:PORT</c> and this handler
/// sends it as http on the wire. Only loopback addresses are rewritten; any other request is refused, so a test can
/// never reach outside 127.0.0.0/8.
/// </summary>
public sealed class HttpsToHttpHandler : DelegatingHandler
{
    public HttpsToHttpHandler() : base(new SocketsHttpHandler { UseProxy = false })
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } uri || !IPAddress.TryParse(uri.Host, out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new InvalidOperationException($"The ARM imitation only answers on loopback, not {request.RequestUri}");
        }

        request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
