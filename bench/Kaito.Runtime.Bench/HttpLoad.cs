using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kaito.Runtime.Bench;

/// <summary>Drives the server over loopback HTTP like an OpenAI client would, counting tokens from usage.</summary>
public sealed class HttpLoad(HttpClient client, string prompt)
{
    /// <summary>One non-streamed completion; returns the completion tokens.</summary>
    public async Task<int> CompleteAsync(int maxTokens)
    {
        using var response = await client.PostAsync("/v1/completions", Body(maxTokens, stream: false));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
    }

    /// <summary>One streamed completion; returns the completion tokens and the time to the first text chunk.</summary>
    public async Task<(int Tokens, TimeSpan FirstToken)> StreamAsync(int maxTokens)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = Body(maxTokens, stream: true) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstToken = TimeSpan.Zero;
        var tokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line == "data: [DONE]")
            {
                break;
            }

            if (firstToken == TimeSpan.Zero && line.Contains("\"text\":\"", StringComparison.Ordinal) && !line.Contains("\"text\":\"\"", StringComparison.Ordinal))
            {
                firstToken = Stopwatch.GetElapsedTime(started);
            }

            if (line.Contains("\"usage\"", StringComparison.Ordinal))
            {
                tokens = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
            }
        }

        return (tokens, firstToken);
    }

    /// <summary>The body serialised up front, so it goes out with a Content-Length as the OpenAI SDK sends it.</summary>
    private ByteArrayContent Body(int maxTokens, bool stream)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["model"] = "bench",
            ["prompt"] = prompt,
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["stream"] = stream,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = stream },
        });
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
