using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kaito.Runtime.Tests.Kaito;

public sealed class KaitoEndpointsTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Root_says_the_server_is_running_and_healthz_is_healthy_once_loaded()
    {
        Assert.Equal("Server is running", (await Get("/")).GetProperty("message").GetString());
        Assert.Equal("Healthy", (await Get("/healthz")).GetProperty("status").GetString());
        Assert.Equal("Healthy", (await Get("/health")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Chat_returns_the_prompt_and_the_greedy_continuation_as_Result()
    {
        var body = await Chat(new { prompt = "abc", generate_kwargs = new { do_sample = false } });
        Assert.Equal("abc" + TestModelFiles.AbcContinuation, body.GetProperty("Result").GetString());
    }

    [Fact]
    public async Task Chat_without_full_text_returns_only_the_new_text_and_max_length_counts_the_prompt()
    {
        var body = await Chat(new { prompt = "abc", return_full_text = false, generate_kwargs = new { do_sample = false, max_length = 8 } });
        Assert.Equal("defgh", body.GetProperty("Result").GetString());
    }

    [Fact]
    public async Task Chat_without_a_prompt_is_a_400_with_upstreams_message()
    {
        using var response = await _server.Client.PostAsJsonAsync("/chat", new { generate_kwargs = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Text generation parameter prompt required", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_names_the_problem()
    {
        using var response = await _server.Client.PostAsync("/chat", new StringContent("{\"prompt\": \"abc\",", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("Malformed JSON:", detail, StringComparison.Ordinal);
        Assert.Contains("LineNumber", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_cannot_be_loaded_stops_the_server_instead_of_serving_500s()
    {
        await using var server = await RuntimeServer.StartAsync(modelDirectory: TestModelFiles.NewScratchDirectory(), waitForModel: false);
        var host = server.Services.GetRequiredService<ModelHost>();
        await Assert.ThrowsAnyAsync<Exception>(() => host.WhenLoaded.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("does not exist", host.Failure, StringComparison.Ordinal);
        Assert.False(host.IsReady);
        Assert.True(server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    private async Task<JsonElement> Get(string path) => await _server.Client.GetFromJsonAsync<JsonElement>(path);

    private async Task<JsonElement> Chat(object request)
    {
        using var response = await _server.Client.PostAsJsonAsync("/chat", request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
