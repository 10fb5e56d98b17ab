using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace Kaito.Runtime.Serving;

/// <summary>
/// Reads a JSON request body: malformed JSON (including invalid UTF-8 and nesting deeper than 64) becomes a 400 that
/// names the problem, a body over Runtime:MaxRequestBodyBytes a 413. <see cref="ReadWithRootAsync"/> also hands back
/// the parsed body, so an endpoint can find the fields its record has no property for (<see cref="Unmapped"/>).
/// </summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type) =>
        (await ReadWithRootAsync(request, type).ConfigureAwait(false)).Value;

    public static async Task<(T Value, JsonElement Root)> ReadWithRootAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
    {
        try
        {
            // Whole-body UTF-8 check first: JSON strings are transcoded lazily, so a bad byte inside one would otherwise
            // surface later, far from here, as an InvalidOperationException.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (!Utf8.IsValid(bytes.Span))
            {
                throw new RuntimeRequestException(400, "Malformed JSON: the body is not valid UTF-8.");
            }

            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement.Clone();
            var value = root.Deserialize(type) ?? throw new RuntimeRequestException(400, "Malformed JSON: the body is null.");
            return (value, root);
        }
        catch (JsonException error)
        {
            throw new RuntimeRequestException(400, $"Malformed JSON: {error.Message}");
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            throw new RuntimeRequestException(413, $"The request body is larger than the server's limit of {limit} bytes (Runtime:MaxRequestBodyBytes).");
        }

    }

    /// <summary>The members of a JSON object that <paramref name="type"/> has no property for (null when none).</summary>
    public static Dictionary<string, JsonElement>? Unmapped(JsonElement value, JsonTypeInfo type)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        Dictionary<string, JsonElement>? unmapped = null;
        foreach (var member in value.EnumerateObject())
        {
            if (!type.Properties.Any(p => p.Name == member.Name))
            {
                (unmapped ??= new(StringComparer.Ordinal))[member.Name] = member.Value;
            }
        }

        return unmapped;
    }
}
