namespace Kaito.Silo.Telemetry;

/// <summary>
/// Where <c>kaito run</c> sends its traces: an OpenTelemetry collector over OTLP. Off unless an endpoint is set here
/// (<c>Telemetry:OtlpEndpoint</c>) or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    public const string Grpc = "grpc";

    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's base address (<c>http://otel-collector:4317</c>); with http/protobuf, <c>/v1/traces</c> is added.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the .NET exporter's default) or <c>http/protobuf</c>; otherwise <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string? OtlpProtocol { get; set; }
}
