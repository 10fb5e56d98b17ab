using System.Net;
using System.Net.Http.Json;
using Kaito.Runtime.Tests.Support;
using static Kaito.Runtime.Tests.Support.Scrape;

namespace Kaito.Runtime.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    private const string Model = "{model_name=\"tiny\"}";

    [Fact]
    public async Task Counters_and_histograms_move_with_requests_and_every_metric_is_exposed()
    {
        await using var server = await RuntimeServer.StartAsync();
        var before = await MetricsAsync(server);
        using var response = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abc", generate_kwargs = new { do_sample = false, max_length = 8 } });
        response.EnsureSuccessStatusCode();
        var after = await MetricsAsync(server);

        Assert.Equal(Value(before, "kaito_runtime_prompt_tokens_total") + 3, Value(after, "kaito_runtime_prompt_tokens_total"));
        Assert.Equal(Value(before, "kaito_runtime_generation_tokens_total") + 5, Value(after, "kaito_runtime_generation_tokens_total"));
        Assert.Equal(1, Value(after, "kaito_runtime_requests_total{endpoint=\"/chat\",status=\"200\"}"));
        Assert.Equal(Value(before, "kaito_runtime_time_to_first_token_seconds_count") + 1, Value(after, "kaito_runtime_time_to_first_token_seconds_count"));
        Assert.Equal(Value(before, "kaito_runtime_inter_token_latency_seconds_count") + 4, Value(after, "kaito_runtime_inter_token_latency_seconds_count"));
        Assert.Equal(0, Value(after, "kaito_runtime_queue_depth"));
        Assert.Equal(0, Value(after, "kaito_runtime_active_generations"));
        Assert.True(Value(after, "kaito_runtime_model_load_seconds") > 0);
        Assert.Contains("kaito_runtime_time_to_first_token_seconds_bucket{le=\"+Inf\"}", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_vllm_metrics_have_vllms_exact_names_and_model_label_and_count_known_requests()
    {
        await using var server = await RuntimeServer.StartAsync();
        using var completion = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        using var chat = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abcdef", generate_kwargs = new { do_sample = false, max_length = 10 } });
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var text = await MetricsAsync(server);

        Assert.Equal(3 + 6, Value(text, "vllm:prompt_tokens_total" + Model));
        Assert.Equal(5 + 4, Value(text, "vllm:generation_tokens_total" + Model));
        Assert.Equal(2, Value(text, "vllm:time_to_first_token_seconds_count" + Model));
        Assert.Equal(2, Value(text, "vllm:e2e_request_latency_seconds_count" + Model));
        Assert.True(Value(text, "vllm:e2e_request_latency_seconds_sum" + Model) >= Value(text, "vllm:time_to_first_token_seconds_sum" + Model));
        Assert.Contains("vllm:time_to_first_token_seconds_bucket{model_name=\"tiny\",le=\"+Inf\"} 2", text, StringComparison.Ordinal);
        foreach (var name in new[] { "num_requests_running", "num_requests_waiting", "gpu_cache_usage_perc" })
        {
            Assert.Contains($"# TYPE vllm:{name} gauge\n", text, StringComparison.Ordinal);
            Assert.Contains($"\nvllm:{name}{Model} 0\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("# TYPE vllm:prompt_tokens_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:e2e_request_latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vllm_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_waiting_and_kv_cache_usage_reflect_requests_held_by_the_generator()
    {
        // The tiny model holds 128 bytes of KV cache per token, so 2560 bytes are 20 tokens: one request of
        // 3 prompt + 10 new tokens runs (13/20 = 0.65 of the budget) and a second one waits for it.
        await using var server = await RuntimeServer.StartAsync(
            new Dictionary<string, string?> { ["Runtime:KvCacheMemory"] = "2560", ["Runtime:MaxQueuedRequests"] = "4" },
            gated: true);
        using var running = await Admission.OpenStreamAsync(server, maxTokens: 10);
        var waiting = server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 10, temperature = 0 });
        await Eventually.HoldsAsync(() => server.Scheduler.QueueDepth == 1, "the second request waits");

        var text = await MetricsAsync(server);
        Assert.Equal(1, Value(text, "vllm:num_requests_running" + Model));
        Assert.Equal(1, Value(text, "vllm:num_requests_waiting" + Model));
        Assert.Equal(0.65, Value(text, "vllm:gpu_cache_usage_perc" + Model), precision: 6);
        Assert.Equal(13, Value(text, "kaito_runtime_kv_cache_reserved_tokens"));
        Assert.Equal(20, Value(text, "kaito_runtime_kv_cache_budget_tokens"));

        server.Gate!.Open();
        (await waiting).Dispose();
        await Eventually.HoldsAsync(() => server.Scheduler.Active == 0, "both generations have ended");
        text = await MetricsAsync(server);
        Assert.Equal(0, Value(text, "vllm:num_requests_running" + Model));
        Assert.Equal(0, Value(text, "vllm:gpu_cache_usage_perc" + Model));
    }

    [Fact]
    public async Task Two_servers_in_one_process_export_only_their_own_measurements()
    {
        await using var busy = await RuntimeServer.StartAsync();
        await using var idle = await RuntimeServer.StartAsync();
        using var response = await busy.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        response.EnsureSuccessStatusCode();

        Assert.Equal(5, Value(await MetricsAsync(busy), "vllm:generation_tokens_total" + Model));
        Assert.Equal(0, Value(await MetricsAsync(idle), "vllm:generation_tokens_total" + Model));
    }
}
