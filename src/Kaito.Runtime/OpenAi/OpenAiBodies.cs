using System.Text.Json;
using Kaito.Runtime.Serving;

namespace Kaito.Runtime.OpenAi;

/// <summary>Reads the OpenAI request bodies with the fields their records have no property for attached.</summary>
public static class OpenAiBodies
{
    public static async Task<ChatCompletionRequest> ReadChatAsync(HttpRequest http)
    {
        var (request, root) = await JsonBody.ReadWithRootAsync(http, RuntimeJson.Context.ChatCompletionRequest);
        var messages = request.Messages;
        if (messages is not null && root.TryGetProperty("messages", out var raw) && raw.ValueKind == JsonValueKind.Array)
        {
            messages = [.. messages.Select((m, i) => m is null ? m! : m with { Unmapped = JsonBody.Unmapped(raw[i], RuntimeJson.Context.ChatMessage) })];
        }

        return request with { Messages = messages, Unmapped = JsonBody.Unmapped(root, RuntimeJson.Context.ChatCompletionRequest) };
    }

    public static async Task<CompletionRequest> ReadCompletionAsync(HttpRequest http)
    {
        var (request, root) = await JsonBody.ReadWithRootAsync(http, RuntimeJson.Context.CompletionRequest);
        return request with { Unmapped = JsonBody.Unmapped(root, RuntimeJson.Context.CompletionRequest) };
    }
}
