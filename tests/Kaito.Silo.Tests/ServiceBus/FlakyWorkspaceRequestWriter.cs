using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;
using Kaito.Silo.ServiceBus;

namespace Kaito.Silo.Tests.ServiceBus;

/// <summary>The real writer, except that the next N applies fail as an overloaded API server answers (503).</summary>
public sealed class FlakyWorkspaceRequestWriter(IWorkspaceRequestWriter inner) : IWorkspaceRequestWriter
{
    private int _failuresLeft;
    private int _failures;

    public int Failures => _failures;

    public void FailNextApplies(int count) => _failuresLeft = count;

    public Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken) => inner.GetAsync(ns, name, cancellationToken);

    public Task ApplyAsync(JsonObject workspace, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failures);
            throw new HttpOperationException("Service Unavailable")
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), "the API server is down"),
            };
        }

        return inner.ApplyAsync(workspace, cancellationToken);
    }

    public Task<bool> DeleteAsync(string ns, string name, CancellationToken cancellationToken) => inner.DeleteAsync(ns, name, cancellationToken);
}
