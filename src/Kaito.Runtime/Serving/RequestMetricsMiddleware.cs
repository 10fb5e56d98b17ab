using Kaito.Runtime.Metrics;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Counts every request by its route and final status; a request abandoned because its client went away (marked by
/// <see cref="RuntimeErrorMiddleware"/>) is counted as 499, a stream whose generation failed after it started (marked
/// by its endpoint) as 500.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, RuntimeMetrics metrics)
{
    /// <summary>The HttpContext.Items key that marks a request whose client disconnected before it was answered.</summary>
    public const string ClientGoneItem = "kaito.client-gone";

    /// <summary>The HttpContext.Items key that marks a response that started as 200 and failed midway.</summary>
    public const string FailedAfterStartItem = "kaito.failed-after-start";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            var status = context.Items.ContainsKey(ClientGoneItem) ? 499
                : context.Items.ContainsKey(FailedAfterStartItem) ? 500
                : context.Response.StatusCode;
            metrics.RecordRequest(endpoint, status);
        }
    }
}
