using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.OpenAi;

public sealed class OpenAiEndpointsTests : IAsyncLifetime
{
    /// <summary>The chat template ends the prompt with "assistant:", so greedy search continues from ';' to '~'.</summary>
    public static readonly string ChatAnswer = new([.. Enumerable.Range(';', '~' - ';' + 1).Select(c => (char)c)]);

    private RuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeServer.StartAsync(new Dictionary<string, string?>
    {
        ["Runtime:AdapterDirectory"] = TestModelFiles.SingleAdapterDirectory,
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_completion_applies_the_chat_template_and_reports_usage()
    {
        var body = await Post("/v1/chat/completions", Chat(stream: false));
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(ChatAnswer, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(ChatAnswer.Length, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("created").ValueKind);
    }

    [Fact]
    public async Task Streamed_chunks_concatenate_to_the_non_streamed_answer_and_end_with_done()
    {
        var events = await Stream("/v1/chat/completions", Chat(stream: true));
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : string.Empty));
        Assert.Equal(ChatAnswer, text);
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(ChatAnswer.Length, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_continue_the_raw_prompt_streaming_and_not()
    {
        var request = new { model = "tiny", prompt = "abc", max_tokens = 10, temperature = 0 };
        var body = await Post("/v1/completions", request);
        Assert.Equal("defghijklm", body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var events = await Stream("/v1/completions", new { model = "tiny", prompt = "abc", max_tokens = 10, temperature = 0, stream = true });
        var text = string.Concat(events[..^1].Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal("defghijklm", text);
    }

    [Fact]
    public async Task Stop_sequences_cut_the_answer()
    {
        var body = await Post("/v1/completions", new { prompt = "abc", max_tokens = 50, temperature = 0, stop = new[] { "jk", "zz" } });
        Assert.Equal("defghi", body.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Models_lists_the_base_model_and_each_adapter()
    {
        var body = await _server.Client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal("list", body.GetProperty("object").GetString());
        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(new[] { "tiny", "force-x" }, ids);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_a_400_with_both_token_counts()
    {
        using var response = await _server.Client.PostAsJsonAsync("/v1/completions", new { prompt = new string('a', 1500), temperature = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await OpenAiError.MessageAsync(response);
        Assert.Contains("1024", message, StringComparison.Ordinal);
        Assert.Contains("1500", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_and_unknown_models_are_rejected_in_openai_error_shape()
    {
        using var malformed = await _server.Client.PostAsync("/v1/chat/completions", new StringContent("{\"messages\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.StartsWith("Malformed JSON:", await OpenAiError.MessageAsync(malformed), StringComparison.Ordinal);
        using var unknown = await _server.Client.PostAsJsonAsync("/v1/completions", new { model = "nope", prompt = "abc" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static object Chat(bool stream) => new
    {
        model = "tiny",
        messages = new[] { new { role = "user", content = "abc" } },
        temperature = 0,
        stream,
        stream_options = stream ? new { include_usage = true } : null,
    };

    private async Task<JsonElement> Post(string path, object request)
    {
        using var response = await _server.Client.PostAsJsonAsync(path, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string[]> Stream(string path, object request)
    {
        using var response = await _server.Client.PostAsJsonAsync(path, request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        return [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new InvalidDataException(e))];
    }
}
