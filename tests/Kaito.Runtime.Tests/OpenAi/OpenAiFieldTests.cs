using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.OpenAi;

/// <summary>Every OpenAI field is honoured or refused by name; hostile bodies get 4xx, never 500 (raw HTTP).</summary>
public sealed class OpenAiFieldTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeServer.StartAsync(new Dictionary<string, string?>
    {
        ["Runtime:MaxRequestBodyBytes"] = (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]")]
    [InlineData("tool_choice", "\"required\"")]
    [InlineData("functions", "[{\"name\":\"f\"}]")]
    [InlineData("logit_bias", "{\"100\":5}")]
    [InlineData("frequency_penalty", "0.5")]
    [InlineData("presence_penalty", "-1")]
    [InlineData("audio", "{\"voice\":\"alloy\"}")]
    [InlineData("store", "true")]
    [InlineData("made_up_field", "1")]
    public async Task A_field_the_server_cannot_honour_is_a_400_naming_it(string field, string json)
    {
        var message = await Refused("/v1/chat/completions", $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"abc\"}}],\"{field}\":{json}}}");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neutral_values_and_identifiers_are_accepted()
    {
        var body = await Post("/v1/chat/completions", """
            {"messages":[{"role":"developer","content":"x"},{"role":"user","content":[{"type":"text","text":"abc"}]}],
             "temperature":0,"max_tokens":3,"frequency_penalty":0,"presence_penalty":0,"logit_bias":{},"user":"u1",
             "tools":[],"tool_choice":"none","parallel_tool_calls":true,"store":false,"service_tier":"auto","n":1}
            """);
        Assert.Equal(";<=", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"robot","content":"abc"}]}""", "messages[0].role 'robot'")]
    [InlineData("""{"messages":[{"content":"abc"}]}""", "messages[0].role is required")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "'image_url'")]
    [InlineData("""{"messages":[{"role":"assistant","content":null,"tool_calls":[]}]}""", "'messages[0].tool_calls'")]
    [InlineData("""{"messages":[{"role":"user","content":"abc"}],"n":17}""", "n must be within 1..16")]
    [InlineData("""{"messages":[{"role":"user","content":"abc"}],"top_logprobs":2}""", "top_logprobs needs logprobs")]
    [InlineData("""{"messages":[{"role":"user","content":"abc"}],"logprobs":true,"top_logprobs":21}""", "top_logprobs must be within 0..20")]
    [InlineData("""{"messages":[{"role":"user","content":"abc"}],"response_format":{"type":"yaml"}}""", "response_format type 'yaml'")]
    [InlineData("""{"messages":[{"role":"user","content":"abc"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"nonsense"}}}}""", "json_schema cannot be used")]
    public async Task Invalid_messages_and_settings_are_400s_that_say_what_is_wrong(string json, string expected)
    {
        Assert.Contains(expected, await Refused("/v1/chat/completions", json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vllm_sampling_extensions_top_k_min_tokens_and_repetition_penalty_are_honoured()
    {
        // top_k 1 leaves sampling one token to pick, so any seed gives the greedy text.
        var topOne = await Post("/v1/completions", """{"prompt":"abc","max_tokens":40,"temperature":1.5,"seed":3,"top_k":1}""");
        Assert.Equal("defghijklmnopqrstuvwxyz{|}~", topOne.GetProperty("choices")[0].GetProperty("text").GetString());

        // The model ends after '~'; min_tokens holds the end of sequence back until 33 new tokens.
        var held = await Post("/v1/completions", """{"prompt":"abc","max_tokens":40,"temperature":0,"min_tokens":33}""");
        Assert.StartsWith("defghijklmnopqrstuvwxyz{|}~", held.GetProperty("choices")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(held.GetProperty("usage").GetProperty("completion_tokens").GetInt32() >= 33);

        var neutral = await Post("/v1/completions", """{"prompt":"abc","max_tokens":40,"temperature":0,"repetition_penalty":1.0,"top_k":-1}""");
        Assert.Equal("defghijklmnopqrstuvwxyz{|}~", neutral.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("top_k", "-2", "top_k must be")]
    [InlineData("repetition_penalty", "0", "repetition_penalty must be greater than 0")]
    [InlineData("min_tokens", "-1", "min_tokens must be at least 0")]
    public async Task Vllm_sampling_extensions_out_of_range_are_400s_naming_them(string field, string json, string expected)
    {
        var message = await Refused("/v1/completions", $"{{\"prompt\":\"abc\",\"{field}\":{json}}}");
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo", "true")]
    [InlineData("suffix", "\"x\"")]
    [InlineData("best_of", "3")]
    public async Task Completions_fields_not_served_are_refused_by_name(string field, string json)
    {
        var message = await Refused("/v1/completions", $"{{\"prompt\":\"abc\",\"{field}\":{json}}}");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task N_choices_each_have_their_index_and_seeded_choices_repeat()
    {
        const string Request = """{"prompt":" ","max_tokens":8,"temperature":1.5,"seed":7,"n":3}""";
        var first = await Post("/v1/completions", Request);
        var again = await Post("/v1/completions", Request);
        var choices = first.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        var texts = choices.Select(c => c.GetProperty("text").GetString()).ToList();
        Assert.Equal(texts, again.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        Assert.True(texts.Distinct().Count() > 1, "seed + index gives each choice its own draw");
        Assert.Equal(24, first.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(1, first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task N_streamed_choices_arrive_tagged_with_their_index_and_each_finishes()
    {
        var events = await Stream("/v1/chat/completions", """
            {"messages":[{"role":"user","content":"abc"}],"temperature":0,"n":2,"stream":true,"stream_options":{"include_usage":true}}
            """);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        foreach (var index in new[] { 0, 1 })
        {
            var mine = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            var text = string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : string.Empty));
            Assert.Equal(OpenAiEndpointsTests.ChatAnswer, text);
            Assert.Equal("stop", mine[^1].GetProperty("finish_reason").GetString());
        }

        Assert.Equal(2 * OpenAiEndpointsTests.ChatAnswer.Length, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completion_logprobs_come_from_the_logits_with_the_alternatives_asked_for()
    {
        var body = await Post("/v1/completions", """{"prompt":"abc","max_tokens":3,"temperature":0,"logprobs":2}""");
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(["d", "e", "f"], logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.All(logprobs.GetProperty("token_logprobs").EnumerateArray(), l => Assert.InRange(l.GetDouble(), -0.1, 0));
        Assert.Equal([0, 1, 2], logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()));
        var top = logprobs.GetProperty("top_logprobs")[0];
        Assert.Equal(2, top.EnumerateObject().Count());
        Assert.True(top.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task A_json_schema_response_format_constrains_the_output_to_the_schema()
    {
        var body = await Post("/v1/chat/completions", """
            {"messages":[{"role":"user","content":"abc"}],"temperature":0,"max_tokens":40,
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":
               {"type":"object","properties":{"answer":{"enum":["yes"]}},"required":["answer"],"additionalProperties":false,
                "x-guidance":{"whitespace_flexible":false}}}}}
            """);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("{\"answer\":\"yes\"}", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_json_object_response_format_starts_a_json_object_where_the_model_would_not()
    {
        var body = await Post("/v1/completions", """{"prompt":"abc","max_tokens":1,"temperature":0}""");
        Assert.Equal("d", body.GetProperty("choices")[0].GetProperty("text").GetString());
        var json = await Post("/v1/chat/completions", """
            {"messages":[{"role":"user","content":"abc"}],"temperature":0,"max_tokens":4,"response_format":{"type":"json_object"}}
            """);
        Assert.StartsWith("{", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_not_a_500()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"ab\"}]}");
        bytes[Array.IndexOf(bytes, (byte)'b')] = 0xFF;
        using var response = await _server.Client.PostAsync("/v1/chat/completions", new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await OpenAiError.MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_a_413_naming_the_setting()
    {
        var big = "{\"prompt\":\"" + new string('a', 512 * 1024) + "\"}";
        using var response = await _server.Client.PostAsync("/v1/completions", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Runtime:MaxRequestBodyBytes", await OpenAiError.MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_deeper_than_64_is_a_400()
    {
        var deep = "{\"prompt\":\"abc\",\"stop\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.StartsWith("Malformed JSON:", await Refused("/v1/completions", deep), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_id_is_a_404_in_openai_shape()
    {
        using var response = await _server.Client.GetAsync("/v1/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nope'", await OpenAiError.MessageAsync(response), StringComparison.Ordinal);
    }

    private async Task<string> Refused(string path, string json)
    {
        using var response = await _server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return await OpenAiError.MessageAsync(response);
    }

    private async Task<JsonElement> Post(string path, string json)
    {
        using var response = await _server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string[]> Stream(string path, string json)
    {
        using var response = await _server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        return [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..])];
    }
}
