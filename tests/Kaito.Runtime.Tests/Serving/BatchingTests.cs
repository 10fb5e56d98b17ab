using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kaito.Runtime.Generation;
using Kaito.Runtime.Generation.Engine;
using Kaito.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kaito.Runtime.Tests.Serving;

/// <summary>Batching across requests on the real server over HTTP: exact text, routing, cancellation, failure, metrics.</summary>
public sealed class BatchingTests
{
    private const int NewTokens = 30;

    [Fact]
    public async Task Concurrent_greedy_requests_of_different_prompt_lengths_each_get_their_single_request_text()
    {
        await using var server = await StartAsync(RandomModelFiles.RowAlignedDirectory);
        var engine = Engine(server);
        var loop = server.Services.GetRequiredService<ModelHost>().Loop!;
        var model = server.Services.GetRequiredService<ModelHost>().Model!;
        var alone = RandomModelFiles.Prompts.Select(p => Alone(loop, model.Encode(p))).ToArray();

        // Hold the engine's first step until all eight requests are in, so they share the engine.
        using var gate = new SemaphoreSlim(0);
        engine.StepFault = () =>
        {
            gate.Wait();
            engine.StepFault = null;
            return null;
        };
        var requests = RandomModelFiles.Prompts.Select(p => server.Client.PostAsJsonAsync(
            "/v1/completions", new { prompt = p, max_tokens = NewTokens, temperature = 0 })).ToArray();
        await Eventually.HoldsAsync(() => engine.Rows + engine.Waiting == requests.Length, "every request is in the engine");
        gate.Release();

        var texts = await Task.WhenAll(requests.Select(async r => Text(await (await r).Content.ReadFromJsonAsync<JsonElement>())));
        Assert.Equal(alone, texts);
        Assert.True(alone.Distinct().Count() > 4, "the random model gives different prompts different texts");
        Assert.Equal(0, engine.Rebuilds);
    }

    [Fact]
    public async Task Requests_with_an_adapter_a_seed_or_stop_strings_take_the_generator_path_and_still_work()
    {
        await using var server = await StartAsync(adapters: TestModelFiles.AdapterDirectory);
        using var meter = new MeterReader(server.Services.GetRequiredService<IMeterFactory>());

        using var adapter = await server.Client.PostAsJsonAsync("/v1/completions", new { model = "force-x", prompt = "abc", max_tokens = 4, temperature = 0 });
        using var seeded = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 4, temperature = 0.7, seed = 5 });
        using var stopped = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 10, temperature = 0, stop = new[] { "h" } });
        using var batched = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 4, temperature = 0 });

        Assert.Equal("XXXX", Text(await adapter.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        Assert.Equal("defg", Text(await stopped.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal("defg", Text(await batched.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(1, meter.Counter("kaito_runtime_generator_path_requests", "reason", "adapter"));
        Assert.Equal(1, meter.Counter("kaito_runtime_generator_path_requests", "reason", "seed"));
        Assert.Equal(1, meter.Counter("kaito_runtime_generator_path_requests", "reason", "stop"));
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_stream_frees_its_engine_row_and_the_next_request_works()
    {
        await using var server = await StartAsync(RandomModelFiles.RowAlignedDirectory);
        var engine = Engine(server);
        using var steps = new SemaphoreSlim(0);
        engine.StepFault = () =>
        {
            steps.Wait();
            return null;
        };

        // No draining of the unread response on dispose: the connection closes, as a client that goes away does.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress };
        try
        {
            // The headers go out with the first token: let the engine step until it is out.
            var sending = client.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = JsonContent.Create(new { prompt = "abc", max_tokens = 200, temperature = 0, stream = true }) },
                HttpCompletionOption.ResponseHeadersRead);
            await Eventually.HoldsAsync(() => engine.Rows == 1, "the request is in the engine");
            await Eventually.HoldsAsync(() => { steps.Release(); return sending.IsCompleted; }, "the first token is sent");
            var response = await sending;
            var body = await response.Content.ReadAsStreamAsync();
            Assert.True(await body.ReadAsync(new byte[1]) > 0, "the first token arrived");
            Assert.Equal(1, engine.Rows);

            response.Dispose();
            // One engine step at a time: the row is closed at the next step boundary, long before 200 tokens.
            await Eventually.HoldsAsync(() => { steps.Release(); return engine.Rows == 0; }, "the cancelled request has left the engine");
            await Eventually.HoldsAsync(() => server.Metrics.Requests("/v1/completions", 499) == 1, $"the request is counted as a client disconnect (200s: {server.Metrics.Requests("/v1/completions", 200)}, tokens {server.Metrics.GeneratedTokens})");
            Assert.True(server.Metrics.GeneratedTokens < 100, $"generation stopped early, {server.Metrics.GeneratedTokens} tokens");
        }
        finally
        {
            engine.StepFault = null;
            steps.Release(1000);
        }

        using var next = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(0, server.Scheduler.Active);
    }

    [Fact]
    public async Task An_engine_step_that_fails_fails_its_requests_with_500_and_the_rebuilt_engine_serves_the_next()
    {
        await using var server = await StartAsync();
        var engine = Engine(server);
        engine.StepFault = () =>
        {
            engine.StepFault = null;
            return new InvalidOperationException("simulated engine failure");
        };

        using var failed = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var message = await OpenAiError.MessageAsync(failed);
        Assert.Equal("The generation failed: The batching engine failed: simulated engine failure", message);
        Assert.Equal(1, engine.Rebuilds);

        using var next = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal("defgh", Text(await next.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(0, engine.Rows);
    }

    [Fact]
    public async Task The_mode_and_batch_size_are_logged_at_start_and_exposed_on_the_kaito_runtime_meter()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(configure: b =>
        {
            b.Logging.AddProvider(logs);
            b.Logging.AddFilter<CapturingLoggerProvider>(typeof(BatchingEngineHost).FullName, LogLevel.Information);
        });
        using var meter = new MeterReader(server.Services.GetRequiredService<IMeterFactory>());

        var size = meter.Gauge("kaito_runtime_batch_max_size");
        Assert.Equal(4, size?.Value);
        Assert.Equal("static", size?.Tags["mode"]);
        Assert.Equal(0, meter.Gauge("kaito_runtime_batch_rows")?.Value);
        Assert.Contains(logs.Messages, m => m.StartsWith("Batching across requests: static, max batch size 4 (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mode_and_batch_size_are_scraped_from_metrics()
    {
        await using var server = await StartAsync();

        var text = await Scrape.MetricsAsync(server);

        Assert.Equal(4, Scrape.Value(text, "kaito_runtime_batch_max_size{mode=\"static\"}"));
        Assert.Contains("kaito_runtime_batch_rows{mode=\"static\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batching_off_sends_every_request_to_the_generator_path()
    {
        await using var server = await StartAsync(settings: new() { ["Runtime:Batching"] = "off" });
        using var meter = new MeterReader(server.Services.GetRequiredService<IMeterFactory>());

        using var response = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal("defgh", Text(await response.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Null(server.Services.GetRequiredService<BatchingEngineHost>().Engine);
        Assert.Equal("off", meter.Gauge("kaito_runtime_batch_max_size")?.Tags["mode"]);
        Assert.Equal(1, meter.Counter("kaito_runtime_generator_path_requests", "reason", "batching is off"));
    }

    private static async Task<RuntimeServer> StartAsync(
        string? model = null,
        string? adapters = null,
        Dictionary<string, string?>? settings = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?> { ["Runtime:MaxConcurrentGenerations"] = "8" };
        if (adapters is not null)
        {
            all["Runtime:AdapterDirectory"] = adapters;
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var server = await RuntimeServer.StartAsync(all, modelDirectory: model, configure: configure);
        await server.Services.GetRequiredService<BatchingEngineHost>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    private static BatchingEngine Engine(RuntimeServer server) =>
        server.Services.GetRequiredService<BatchingEngineHost>().Engine ?? throw new InvalidOperationException("no engine");

    private static string Alone(GenerationLoop loop, int[] prompt)
    {
        var text = new StringBuilder();
        loop.Run(new GenerationRequest(prompt, NewTokens, SamplingSettings.Greedy, [], null, System.Diagnostics.Stopwatch.GetTimestamp()), t => text.Append(t), CancellationToken.None);
        return text.ToString();
    }

    private static string Text(JsonElement completion) => completion.GetProperty("choices")[0].GetProperty("text").GetString()!;
}
