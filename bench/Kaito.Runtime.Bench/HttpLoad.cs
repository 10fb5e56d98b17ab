using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kaito.Runtime.Bench;

/// <summary>
/// Drives the server over loopback HTTP like an OpenAI client would (POST /v1/completions, streaming or not), each
/// request on its own thread and a kept-alive <see cref="RawHttpConnection"/>, counting tokens from the usage.
/// </summary>
public sealed class HttpLoad(IPEndPoint server, string prompt) : IDisposable
{
    private readonly ConcurrentBag<RawHttpConnection> _idle = [];

    /// <summary>One non-streamed completion; returns the completion tokens.</summary>
    public Task<int> CompleteAsync(int maxTokens) => OnOwnThread(() =>
    {
        var body = Send(Request(maxTokens, stream: false), out _, out _);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
    });

    /// <summary>
    /// One streamed completion; returns the completion tokens (from the usage chunk) and the time to the first body
    /// bytes, which are the first token's chunk (completions send no role chunk).
    /// </summary>
    public Task<(int Tokens, TimeSpan FirstToken)> StreamAsync(int maxTokens) => OnOwnThread(() =>
    {
        var body = Send(Request(maxTokens, stream: true), out var started, out var firstBody);
        var all = body.AsSpan();
        if (!all.EndsWith("data: [DONE]\n\n"u8))
        {
            throw new InvalidDataException("The stream did not end with [DONE].");
        }

        var usage = all[(all.LastIndexOf("\"completion_tokens\":"u8) + "\"completion_tokens\":".Length)..];
        var digits = usage.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        return (int.Parse(usage[..digits], CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started, firstBody));
    });

    /// <summary>One GET /healthz round trip: the floor under any request's latency on this machine.</summary>
    public Task<TimeSpan> HealthAsync() => OnOwnThread(() =>
    {
        var request = Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {server}\r\n\r\n");
        Send(request, out var started, out _);
        return Stopwatch.GetElapsedTime(started);
    });

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private static Task<T> OnOwnThread<T>(Func<T> request) =>
        Task.Factory.StartNew(request, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private byte[] Send(byte[] request, out long started, out long firstBody)
    {
        var connection = _idle.TryTake(out var idle) ? idle : new RawHttpConnection(server);
        started = Stopwatch.GetTimestamp();
        var body = connection.Send(request, out firstBody);
        _idle.Add(connection);
        return body;
    }

    /// <summary>The whole request, with a Content-Length as the OpenAI SDK sends it.</summary>
    private byte[] Request(int maxTokens, bool stream)
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
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST /v1/completions HTTP/1.1\r\nHost: {server}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        return [.. head, .. body];
    }
}
