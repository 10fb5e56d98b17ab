using Kaito.Runtime.Metrics;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Counts every request by its route and final status; a request abandoned because its client went away (marked by
/// <see cref="RuntimeErrorMiddleware"/>) is counted as 499.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, RuntimeMetrics metrics)
{
    /// <summary>The HttpContext.Items key that marks a request whose client disconnected before it was answered.</summary>
    public const string ClientGoneItem = "kaito.client-gone";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            var status = context.Items.ContainsKey(ClientGoneItem) ? 499 : context.Response.StatusCode;
            metrics.RecordRequest(endpoint, status);
        }
    }
}
