using System.Net.Http.Json;
using System.Text.Json;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Reads the message of an OpenAI-shaped error body (<c>{"error":{"message":...}}</c>).</summary>
public static class OpenAiError
{
    public static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString()!;
}
