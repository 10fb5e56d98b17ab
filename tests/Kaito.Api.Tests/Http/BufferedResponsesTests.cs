using System.Net;
using Kaito.Api.Http;

namespace Kaito.Api.Tests.Http;

public sealed class BufferedResponsesTests
{
    [Theory]
    [InlineData("https://127.0.0.1:6443/api/v1/nodes?labelSelector=a%3Db")]
    [InlineData("https://127.0.0.1:6443/apis/apps/v1/namespaces/x/deployments/y")]
    [InlineData("https://127.0.0.1:6443/api/v1/nodes?watch=false")]
    public async Task An_answer_is_read_into_memory_before_the_caller_gets_it(string uri)
    {
        var body = new CountingStream("{\"items\":[]}"u8.ToArray());
        using var client = new HttpClient(new BufferedResponses(new Answer(body)));

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead);

        Assert.True(body.ReadToEnd, "the body was still on the wire when the caller got the response");
        Assert.Equal("{\"items\":[]}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("https://127.0.0.1:6443/api/v1/nodes?watch=true&allowWatchBookmarks=true")]
    [InlineData("https://127.0.0.1:6443/api/v1/nodes?resourceVersion=5&watch=1")]
    [InlineData("https://127.0.0.1:6443/api/v1/namespaces/x/pods/p/log?follow=true")]
    public async Task A_watch_or_a_log_follow_stays_a_stream(string uri)
    {
        var body = new CountingStream("{\"type\":\"ADDED\"}\n"u8.ToArray());
        using var client = new HttpClient(new BufferedResponses(new Answer(body)));

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead);

        Assert.False(body.ReadToEnd, "a watch must reach the caller as a stream, not after it ends");
    }

    private sealed class Answer(Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body), RequestMessage = request });
    }

    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public bool ReadToEnd { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Seen(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Seen(base.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Seen(await base.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Seen(await base.ReadAsync(buffer, offset, count, cancellationToken));

        private int Seen(int read)
        {
            ReadToEnd |= read == 0;
            return read;
        }
    }
}
