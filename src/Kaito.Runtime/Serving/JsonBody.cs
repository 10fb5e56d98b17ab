using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kaito.Runtime.Serving;

/// <summary>Reads a JSON request body; malformed JSON becomes a 400 that names the problem and where it is.</summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ?? throw new RuntimeRequestException(400, "Malformed JSON: the body is null.");
        }
        catch (JsonException error)
        {
            throw new RuntimeRequestException(400, $"Malformed JSON: {error.Message}");
        }
    }
}
