namespace Kaito.Runtime.Serving;

/// <summary>A request the server refuses with a status code and a message for the client.</summary>
public sealed class RuntimeRequestException(int statusCode, string message, int? retryAfterSeconds = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public int StatusCode { get; } = statusCode;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
