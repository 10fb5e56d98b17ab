using System.Text.Json;

namespace Kaito.Runtime.Serving;

/// <summary>
/// An error as each API family writes it: OpenAI's <c>{"error":{"message","type","code"}}</c> under /v1, FastAPI's
/// <c>{"detail": ...}</c> (as upstream Kaito) elsewhere.
/// </summary>
public static class ErrorBody
{
    public static void Write(Utf8JsonWriter writer, RuntimeRequestException error, bool openAi)
    {
        writer.WriteStartObject();
        if (openAi)
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
}
