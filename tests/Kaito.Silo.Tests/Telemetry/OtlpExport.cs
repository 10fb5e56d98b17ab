namespace Kaito.Silo.Tests.Telemetry;

/// <summary>One request that reached the <see cref="OtlpReceiver"/>.</summary>
public sealed record OtlpExport(string Method, string Path, string? ContentType, byte[] Body)
{
    /// <summary>Whether the protobuf body carries <paramref name="text"/> (span names and attribute strings travel as UTF-8).</summary>
    public bool Carries(string text) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
