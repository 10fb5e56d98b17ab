using System.Net;
using System.Net.Http.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Lifecycle;

/// <summary>Shutdown on the real server: nothing is admitted once draining starts, in-flight streams finish, /healthz turns not-ready.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task A_request_arriving_after_shutdown_began_gets_503_with_retry_after_while_the_in_flight_stream_completes()
    {
        await using var server = await RuntimeServer.StartAsync(
            new Dictionary<string, string?> { ["Runtime:MaxConcurrentGenerations"] = "2", ["Runtime:RetryAfterSeconds"] = "3" },
            gated: true);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "abc", max_tokens = 30, temperature = 0, stream = true }),
        };
        using var inFlight = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, inFlight.StatusCode);
        using (var healthy = await server.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        var stopping = server.StopAsync();
        await Eventually.HoldsAsync(() => server.Scheduler.IsDraining, "the server starts draining");

        using var late = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = "abc", max_tokens = 5, temperature = 0 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        Assert.Equal("3", late.Headers.GetValues("Retry-After").Single());
        Assert.Contains("shutting down", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using (var health = await server.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        Assert.False(stopping.IsCompleted);
        server.Gate!.Open();
        var body = await inFlight.Content.ReadAsStringAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var text = string.Concat(body.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => System.Text.Json.JsonDocument.Parse(l[6..]).RootElement.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("text").GetString()));
        Assert.Equal(TestModelFiles.AbcContinuation, text);
    }
}
