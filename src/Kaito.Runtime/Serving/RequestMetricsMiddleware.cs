using Kaito.Runtime.Metrics;

namespace Kaito.Runtime.Serving;

/// <summary>Counts every request by its route and final status; a client that went away is counted as 499.</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, RuntimeMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            var status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
            metrics.RecordRequest(endpoint, status);
        }
    }
}
