using System.ClientModel;
using System.Text;
using Kaito.Runtime.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Kaito.Runtime.Tests.OpenAi;

/// <summary>The official OpenAI .NET client (2.15.0) talks to the server over real HTTP.</summary>
public sealed class OpenAiClientTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_openai_client_chats_without_streaming()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("abc")], Options());
        Assert.Equal(OpenAiEndpointsTests.ChatAnswer, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(OpenAiEndpointsTests.ChatAnswer.Length, completion.Usage.OutputTokenCount);
        Assert.True(completion.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task The_openai_client_streams_the_same_answer()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("abc")], Options()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(OpenAiEndpointsTests.ChatAnswer, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(OpenAiEndpointsTests.ChatAnswer.Length, usage?.OutputTokenCount);
    }

    [Fact]
    public async Task The_openai_client_honours_the_token_limit()
    {
        var options = Options();
        options.MaxOutputTokenCount = 5;
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("abc")], options);
        Assert.Equal(";<=>?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task The_openai_client_lists_the_models()
    {
        var models = await new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "/v1") })
            .GetOpenAIModelClient().GetModelsAsync();
        Assert.Equal("tiny", Assert.Single(models.Value).Id);
    }

    [Fact]
    public async Task The_openai_client_reads_token_logprobs_and_their_alternatives()
    {
        var options = Options();
        options.MaxOutputTokenCount = 3;
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 2;
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("abc")], options);
        Assert.Equal([";", "<", "="], completion.ContentTokenLogProbabilities.Select(t => t.Token));
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.InRange(t.LogProbability, -0.1f, 0f));
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.Equal(2, t.TopLogProbabilities.Count));
        Assert.Equal(";", completion.ContentTokenLogProbabilities[0].TopLogProbabilities[0].Token);
    }

    [Fact]
    public async Task The_openai_client_gets_one_model_by_id()
    {
        var models = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "/v1") }).GetOpenAIModelClient();
        Assert.Equal("tiny", (await models.GetModelAsync("tiny")).Value.Id);
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("nope"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task The_openai_client_sends_n_through_its_raw_protocol_and_reads_every_choice()
    {
        var body = BinaryContent.Create(BinaryData.FromString("""{"model":"tiny","messages":[{"role":"user","content":"abc"}],"temperature":0,"n":2}"""));
        var result = await Client().CompleteChatAsync(body);
        using var json = System.Text.Json.JsonDocument.Parse(result.GetRawResponse().Content);
        var choices = json.RootElement.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal(OpenAiEndpointsTests.ChatAnswer, c.GetProperty("message").GetProperty("content").GetString()));
    }

    private static ChatCompletionOptions Options() => new() { Temperature = 0 };

    private ChatClient Client() =>
        new("tiny", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "/v1") });
}
