using System.Net;

namespace Kaito.CrdBridge.Watching;

/// <summary>The API server answered a list or watch with an error status (HTTP or a watch ERROR event).</summary>
internal sealed class ApiStatusException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
