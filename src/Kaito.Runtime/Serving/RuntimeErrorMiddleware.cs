using System.Globalization;
using System.Text.Json;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Turns <see cref="RuntimeRequestException"/> into the error body each API family expects: OpenAI's
/// <c>{"error":{"message","type","code"}}</c> under /v1, FastAPI's <c>{"detail": ...}</c> (as upstream Kaito) elsewhere.
/// A request cancelled by its client ends quietly; any other failure before the response started is a 500 in the same
/// shape, logged with its cause. (A failure after a stream started is reported in the stream by its endpoint.)
/// </summary>
public sealed partial class RuntimeErrorMiddleware(RequestDelegate next, ILogger<RuntimeErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (RuntimeRequestException error) when (!context.Response.HasStarted)
        {
            if (error.InnerException is { } cause)
            {
                LogFailed(cause, context.Request.Path);
            }

            await WriteAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; its generation has been cancelled and its slot freed.
            context.Items[RequestMetricsMiddleware.ClientGoneItem] = true;
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            LogFailed(error, context.Request.Path);
            await WriteAsync(context, new RuntimeRequestException(500, "Internal server error."));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Path} failed")]
    private partial void LogFailed(Exception error, string path);

    private static async Task WriteAsync(HttpContext context, RuntimeRequestException error)
    {
        context.Response.StatusCode = error.StatusCode;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body, RuntimeJson.WriterOptions);
        ErrorBody.Write(writer, error, openAi: context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal));
    }
}
