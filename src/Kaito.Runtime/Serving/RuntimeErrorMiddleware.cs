using System.Globalization;
using System.Text.Json;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Turns <see cref="RuntimeRequestException"/> into the error body each API family expects: OpenAI's
/// <c>{"error":{"message","type","code"}}</c> under /v1, FastAPI's <c>{"detail": ...}</c> (as upstream Kaito) elsewhere.
/// A request cancelled by its client ends quietly.
/// </summary>
public sealed class RuntimeErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (RuntimeRequestException error) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = error.StatusCode;
            if (error.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body, RuntimeJson.WriterOptions);
            writer.WriteStartObject();
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                writer.WriteStartObject("error");
                writer.WriteString("message", error.Message);
                writer.WriteString("type", error.StatusCode == 429 ? "rate_limit_exceeded" : error.StatusCode >= 500 ? "server_error" : "invalid_request_error");
                writer.WriteNumber("code", error.StatusCode);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("detail", error.Message);
            }

            writer.WriteEndObject();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; its generation has been cancelled and its slot freed.
            context.Items[RequestMetricsMiddleware.ClientGoneItem] = true;
        }
    }
}
