using System.Collections.Concurrent;

namespace Kaito.Silo.Tests.Install;

/// <summary>
/// Sits in front of the silo's Kubernetes client: sends every request as <paramref name="user"/> (impersonation, so
/// the API server enforces the installed RBAC for real) and records it in RBAC's terms.
/// </summary>
public sealed class ApiRequestRecorder(ConcurrentQueue<ApiRequest> requests, string user) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("Impersonate-User", user);
        var response = await base.SendAsync(request, cancellationToken);
        if (ApiRequest.Parse(request.Method, request.RequestUri!, (int)response.StatusCode) is { } recorded)
        {
            requests.Enqueue(recorded);
            if (request.Content?.Headers.ContentType?.MediaType == "application/apply-patch+yaml" && response.StatusCode == System.Net.HttpStatusCode.Created)
            {
                // A server-side apply creates the object when it is absent, and the API server then checks create too.
                requests.Enqueue(recorded with { Verb = "create" });
            }
        }

        return response;
    }
}
