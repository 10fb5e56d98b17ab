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

    private static ChatCompletionOptions Options() => new() { Temperature = 0 };

    private ChatClient Client() =>
        new("tiny", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_server.BaseAddress, "/v1") });
}
