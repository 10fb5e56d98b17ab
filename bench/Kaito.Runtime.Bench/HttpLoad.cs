using System.Diagnostics;
using System.Globalization;
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

    /// <summary>
    /// One streamed completion; returns the completion tokens (from the usage chunk) and the time to the first body
    /// bytes, which are the first token's chunk (completions send no role chunk). It reads raw bytes and parses only the
    /// usage, so the client, which shares the machine with the server, costs as little CPU per token as it can.
    /// </summary>
    public async Task<(int Tokens, TimeSpan FirstToken)> StreamAsync(int maxTokens)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = Body(maxTokens, stream: true) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        var length = 0;
        var firstToken = TimeSpan.Zero;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length))) > 0)
        {
            if (length == 0)
            {
                firstToken = Stopwatch.GetElapsedTime(started);
            }

            length += read;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        var all = buffer.AsSpan(0, length);
        if (!all.EndsWith("data: [DONE]\n\n"u8))
        {
            throw new InvalidDataException("The stream did not end with [DONE].");
        }

        var usage = all[(all.LastIndexOf("\"completion_tokens\":"u8) + "\"completion_tokens\":".Length)..];
        var digits = usage.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return (int.Parse(usage[..digits], CultureInfo.InvariantCulture), firstToken);
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
