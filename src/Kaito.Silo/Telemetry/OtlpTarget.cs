using OpenTelemetry.Exporter;

namespace Kaito.Silo.Telemetry;

/// <summary>Where traces go and how, from <see cref="TelemetryOptions"/> first, then the standard <c>OTEL_EXPORTER_OTLP_*</c> variables. Pure.</summary>
public sealed record OtlpTarget(Uri Endpoint, OtlpExportProtocol Protocol)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>Null when no endpoint is set: traces are not exported. Throws <see cref="FormatException"/> naming a bad value.</summary>
    public static OtlpTarget? Resolve(TelemetryOptions options, Func<string, string?> environment)
    {
        var endpoint = Blank(options.OtlpEndpoint) ?? Blank(environment(EndpointVariable));
        if (endpoint is null)
        {
            return null;
        }

        var protocol = (Blank(options.OtlpProtocol) ?? Blank(environment(ProtocolVariable)) ?? TelemetryOptions.Grpc) switch
        {
            TelemetryOptions.Grpc => OtlpExportProtocol.Grpc,
            TelemetryOptions.HttpProtobuf => OtlpExportProtocol.HttpProtobuf,
            var other => throw new FormatException($"the OTLP protocol '{other}' is neither {TelemetryOptions.Grpc} nor {TelemetryOptions.HttpProtobuf}"),
        };
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"the OTLP endpoint '{endpoint}' is not an http(s) address");
        }

        // As the OTLP specification says of OTEL_EXPORTER_OTLP_ENDPOINT: over HTTP the signal's path follows the base address.
        if (protocol == OtlpExportProtocol.HttpProtobuf && !uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            uri = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/v1/traces");
        }

        return new OtlpTarget(uri, protocol);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
