using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Serving;

/// <summary>
/// Admission by KV cache memory on the real server: a budget of 2560 bytes is 20 tokens of the tiny model (128 bytes
/// a token), so a request for "abc" (3 tokens) with 10 new tokens reserves 13 and a second one must wait.
/// </summary>
public sealed class KvCacheAdmissionTests
{
    [Fact]
    public async Task A_request_whose_window_can_never_fit_the_budget_is_400_naming_the_numbers()
    {
        await using var server = await Start(queue: 4, gated: false);
        using var openAi = await Admission.CompleteAsync(server, maxTokens: 30);
        using var kaito = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abc", generate_kwargs = new { max_length = 40 } });

        Assert.Equal(HttpStatusCode.BadRequest, openAi.StatusCode);
        var error = (await openAi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(
            "This request needs KV cache for 33 tokens (3 prompt + 30 max new) at 128 bytes per token = 4224 bytes, but the server's " +
            "KV cache budget is 2560 bytes (20 tokens). Ask for fewer new tokens or send a shorter prompt.",
            error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, kaito.StatusCode);
        Assert.StartsWith("This request needs KV cache for 40 tokens (3 prompt + 37 max new)", (await kaito.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The largest window that fits still runs.
        using var fits = await Admission.CompleteAsync(server, maxTokens: 17);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    [Fact]
    public async Task A_request_that_does_not_fit_now_waits_for_the_running_one_then_succeeds_and_a_full_queue_is_429()
    {
        await using var server = await Start(queue: 1, gated: true);
        using var first = await Admission.OpenStreamAsync(server, maxTokens: 10);
        Assert.Equal(13, server.Scheduler.ReservedTokens);
        var waiting = Admission.CompleteAsync(server, maxTokens: 10);
        await Eventually.HoldsAsync(() => server.Scheduler.QueueDepth == 1, "the second request waits for KV cache room");
        Assert.Equal(1, server.Scheduler.Active);

        using var refused = await Admission.CompleteAsync(server, maxTokens: 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.False(waiting.IsCompleted);

        server.Gate!.Open();
        Assert.EndsWith("data: [DONE]\n\n", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var done = await waiting;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("defghijklm", (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("text").GetString());
        await Eventually.HoldsAsync(() => server.Scheduler.ReservedTokens == 0, "every reservation is given back");
    }

    [Fact]
    public async Task A_client_that_disconnects_gives_its_reservation_back_and_the_waiting_request_starts()
    {
        await using var server = await Start(queue: 1, gated: true);
        var first = await Admission.OpenStreamAsync(server, maxTokens: 10);
        var waiting = Admission.OpenStreamAsync(server, maxTokens: 10);
        await Eventually.HoldsAsync(() => server.Scheduler.QueueDepth == 1, "the second request waits");

        first.Dispose();
        using var second = await waiting;
        Assert.Equal((1, 0, 13L), (server.Scheduler.Active, server.Scheduler.QueueDepth, server.Scheduler.ReservedTokens));

        second.Dispose();
        await Eventually.HoldsAsync(() => server.Scheduler.ReservedTokens == 0, "the cancelled generations have given their KV cache back");
    }

    [Fact]
    public async Task A_generation_that_fails_gives_its_reservation_back()
    {
        await using var server = await RuntimeServer.StartAsync(
            new Dictionary<string, string?> { ["Runtime:KvCacheMemory"] = "2560" },
            failAfterChunks: 1);
        using var plain = await Admission.CompleteAsync(server, maxTokens: 10);
        using var streamed = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 17, temperature = 0, stream = true });

        Assert.Equal(HttpStatusCode.InternalServerError, plain.StatusCode);
        Assert.Contains("\"code\":500", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => server.Scheduler.ReservedTokens == 0 && server.Scheduler.Active == 0, "the failed generations have given their KV cache back");
    }

    private static Task<RuntimeServer> Start(int queue, bool gated) => RuntimeServer.StartAsync(
        new Dictionary<string, string?>
        {
            ["Runtime:KvCacheMemory"] = (20 * Admission.BytesPerToken).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Runtime:MaxConcurrentGenerations"] = "4",
            ["Runtime:MaxQueuedRequests"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        gated: gated);
}
