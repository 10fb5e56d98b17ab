using System.Text;

namespace Kaito.Runtime.Metrics;

/// <summary>
/// Gives vLLM's metrics their exact names in the scrape. OpenTelemetry instrument names cannot contain ':', so the
/// vLLM instruments are named <c>vllm.x</c> and the exporter writes them as <c>vllm_x</c>; this middleware, in front of
/// the exporter on /metrics, turns the <c>vllm_</c> prefix of every sample, HELP, TYPE and UNIT line back into
/// <c>vllm:</c>, the names dashboards and KEDA scalers query (<c>vllm:num_requests_waiting</c>, ...).
/// </summary>
public sealed class VllmMetricNameMiddleware(RequestDelegate next)
{
    private const string Exported = "vllm_";
    private const string Wanted = "vllm:";
    private static readonly string[] LinePrefixes = ["", "# HELP ", "# TYPE ", "# UNIT "];

    public async Task InvokeAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var text = Rename(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>Renames <c>vllm_</c> metric names to <c>vllm:</c> in Prometheus or OpenMetrics text.</summary>
    public static string Rename(string exposition)
    {
        if (!exposition.Contains(Exported, StringComparison.Ordinal))
        {
            return exposition;
        }

        var output = new StringBuilder(exposition.Length);
        foreach (var line in exposition.Split('\n'))
        {
            if (output.Length > 0)
            {
                output.Append('\n');
            }

            var prefix = Array.Find(LinePrefixes, p => line.StartsWith(p + Exported, StringComparison.Ordinal));
            if (prefix is null)
            {
                output.Append(line);
            }
            else
            {
                output.Append(prefix).Append(Wanted).Append(line.AsSpan(prefix.Length + Exported.Length));
            }
        }

        return output.ToString();
    }
}
