using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Serving;

/// <summary>Slots, queue, 429, disconnects and draining, with generations held open by a gate instead of timing.</summary>
public sealed class ServingUnderLoadTests
{
    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_queued_work_completes_later()
    {
        await using var server = await Start(slots: 1, queue: 1);
        using var first = await OpenStream(server);
        var queued = server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        await Eventually.HoldsAsync(() => server.Scheduler.QueueDepth == 1, "the second request is queued");

        using var refused = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());

        server.Gate!.Open();
        Assert.EndsWith("data: [DONE]\n\n", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var done = await queued;
        Assert.Equal("defgh", (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(1, server.Metrics.Requests("/v1/completions", 429));
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_its_generation_and_frees_its_slot()
    {
        await using var server = await Start(slots: 1, queue: 0);
        var first = await OpenStream(server);
        Assert.Equal(1, server.Scheduler.Active);

        first.Dispose();
        await Eventually.HoldsAsync(() => server.Scheduler.Active == 0, "the disconnected generation has let go of its slot");
        await Eventually.HoldsAsync(() => server.Metrics.Requests("/v1/chat/completions", 499) == 1, "the request is counted as a client disconnect");

        server.Gate!.Open();
        using var next = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Shutdown_drains_in_flight_generations()
    {
        await using var server = await Start(slots: 1, queue: 0);
        using var first = await OpenStream(server);
        var stopping = server.StopAsync();
        await Eventually.HoldsAsync(() => server.Scheduler.IsDraining || stopping.IsCompleted, "the server starts draining");
        Assert.False(stopping.IsCompleted);

        server.Gate!.Open();
        var body = await first.Content.ReadAsStringAsync();
        await stopping;
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", body, StringComparison.Ordinal);
    }

    private static Task<RuntimeServer> Start(int slots, int queue) => RuntimeServer.StartAsync(
        new Dictionary<string, string?>
        {
            ["Runtime:MaxConcurrentGenerations"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Runtime:MaxQueuedRequests"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        gated: true);

    /// <summary>Starts a streaming chat whose generation the gate holds after its first piece; returns once it runs.</summary>
    private static async Task<HttpResponseMessage> OpenStream(RuntimeServer server)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { messages = new[] { new { role = "user", content = "abc" } }, temperature = 0, stream = true }),
        };
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
