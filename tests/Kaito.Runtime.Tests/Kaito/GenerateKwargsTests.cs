using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Kaito;

/// <summary>/chat honours max_new_tokens and upstream's generate_kwargs, or refuses them by name (FastAPI's detail shape).</summary>
public sealed class GenerateKwargsTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Max_new_tokens_wins_over_max_length()
    {
        var (status, body) = await Chat("""{"prompt":"abc","return_full_text":false,"generate_kwargs":{"do_sample":false,"max_length":200,"max_new_tokens":4}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("defg", body.GetProperty("Result").GetString());
    }

    [Fact]
    public async Task Kwargs_with_values_that_change_nothing_are_accepted()
    {
        var (status, body) = await Chat("""
            {"prompt":"abc","return_full_text":false,"generate_kwargs":{"do_sample":false,"max_new_tokens":2,"num_beams":1,
             "early_stopping":true,"length_penalty":2,"typical_p":1,"no_repeat_ngram_size":0,"num_return_sequences":1,
             "output_scores":false,"pad_token_id":256,"eos_token_id":256,"bad_words_ids":null}}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("de", body.GetProperty("Result").GetString());
    }

    [Theory]
    [InlineData("\"num_beams\":4", "generate_kwargs.num_beams")]
    [InlineData("\"typical_p\":0.5", "generate_kwargs.typical_p")]
    [InlineData("\"eos_token_id\":3", "generate_kwargs.eos_token_id")]
    [InlineData("\"forced_bos_token_id\":1", "generate_kwargs.forced_bos_token_id")]
    [InlineData("\"made_up\":1", "generate_kwargs.made_up")]
    [InlineData("\"max_new_tokens\":-1", "max_new_tokens must not be negative")]
    public async Task Kwargs_that_cannot_be_honoured_are_a_400_naming_them(string kwarg, string expected)
    {
        var (status, body) = await Chat("{\"prompt\":\"abc\",\"generate_kwargs\":{" + kwarg + "}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_top_level_field_is_a_400_naming_it()
    {
        var (status, body) = await Chat("""{"prompt":"abc","prefix":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'prefix'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clean_up_tokenization_spaces_removes_the_space_before_punctuation()
    {
        // After a control byte greedy search gives " " then "!": a space before punctuation, which the clean-up drops.
        const string Request = """{"prompt":"\u001f","return_full_text":false,"clean_up_tokenization_spaces":CLEAN,"generate_kwargs":{"do_sample":false,"max_new_tokens":2}}""";
        var (_, raw) = await Chat(Request.Replace("CLEAN", "false", StringComparison.Ordinal));
        Assert.Equal(" !", raw.GetProperty("Result").GetString());
        var (_, clean) = await Chat(Request.Replace("CLEAN", "true", StringComparison.Ordinal));
        Assert.Equal("!", clean.GetProperty("Result").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Chat(string json)
    {
        using var response = await _server.Client.PostAsync("/chat", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
