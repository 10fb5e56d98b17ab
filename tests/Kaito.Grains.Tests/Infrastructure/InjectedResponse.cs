using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace Kaito.Grains.Tests.Infrastructure;

/// <summary>A response the service never sent (e.g. a 503 in place of the real answer to a committed request).</summary>
public sealed class InjectedResponse(int status, string clientRequestId) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => $"Injected {status}";

    public override Stream? ContentStream { get; set; } = new MemoryStream();

    public override string ClientRequestId { get; set; } = clientRequestId;

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => false;

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = null;
        return false;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = null;
        return false;
    }
}
