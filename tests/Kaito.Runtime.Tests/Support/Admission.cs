using System.Net;
using System.Net.Http.Json;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Requests for admission tests: the prompt "abc" is 3 tokens of the tiny model, whose KV cache takes 128 bytes a token.</summary>
public static class Admission
{
    public const int BytesPerToken = 128;

    /// <summary>Starts a streaming completion of "abc" (held by a gated server after its first piece); returns once it runs.</summary>
    public static async Task<HttpResponseMessage> OpenStreamAsync(RuntimeServer server, int maxTokens)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "abc", max_tokens = maxTokens, temperature = 0, stream = true }),
        };
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public static Task<HttpResponseMessage> CompleteAsync(RuntimeServer server, int maxTokens) =>
        server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = maxTokens, temperature = 0 });
}
