using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Serving;

/// <summary>A model that fails midway: the client is told, in the shape of its API, and the slot is freed.</summary>
public sealed class GenerationFailureTests
{
    private const string Message = "The generation failed: " + FailingTextGenerator.FailureMessage;

    [Fact]
    public async Task A_stream_that_fails_after_its_first_token_ends_with_an_error_event_and_no_done()
    {
        await using var server = await RuntimeServer.StartAsync(failAfterChunks: 1);
        using var response = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0, stream = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("d", Data(events[0]).GetProperty("choices")[0].GetProperty("text").GetString());
        var error = Data(events[^1]).GetProperty("error");
        Assert.Equal(Message, error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(500, error.GetProperty("code").GetInt32());
        Assert.DoesNotContain(events, e => e == "data: [DONE]");

        await Eventually.HoldsAsync(() => server.Metrics.Requests("/v1/completions", 500) == 1, "the failed stream is counted as a 500");
        Assert.Equal(0, server.Scheduler.Active);
    }

    [Fact]
    public async Task A_generation_that_fails_before_any_token_is_a_500_in_each_apis_error_shape()
    {
        await using var server = await RuntimeServer.StartAsync(failAfterChunks: 0);

        using var streamed = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, stream = true });
        using var chat = await server.Client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "abc" } } });
        using var kaito = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abc" });

        foreach (var openAi in new[] { streamed, chat })
        {
            Assert.Equal(HttpStatusCode.InternalServerError, openAi.StatusCode);
            Assert.Equal("application/json", openAi.Content.Headers.ContentType?.MediaType);
            var error = (await openAi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal(Message, error.GetProperty("message").GetString());
            Assert.Equal("server_error", error.GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.InternalServerError, kaito.StatusCode);
        Assert.Equal(Message, (await kaito.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(0, server.Scheduler.Active);
        Assert.Equal(1, server.Metrics.Requests("/chat", 500));
    }

    private static JsonElement Data(string serverSentEvent)
    {
        Assert.StartsWith("data: ", serverSentEvent, StringComparison.Ordinal);
        return JsonDocument.Parse(serverSentEvent["data: ".Length..]).RootElement;
    }
}
