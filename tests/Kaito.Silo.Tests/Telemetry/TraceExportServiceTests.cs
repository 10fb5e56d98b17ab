using Kaito.Grains.Telemetry;
using Kaito.Silo.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace Kaito.Silo.Tests.Telemetry;

public sealed class TraceExportServiceTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Without_an_endpoint_in_the_settings_or_the_environment_traces_are_not_exported() =>
        Assert.Null(OtlpTarget.Resolve(new TelemetryOptions(), NoEnvironment));

    [Fact]
    public void The_standard_OTEL_variables_turn_the_exporter_on_and_http_protobuf_gets_the_traces_path()
    {
        var environment = new Dictionary<string, string?>
        {
            [OtlpTarget.EndpointVariable] = "http://collector:4318",
            [OtlpTarget.ProtocolVariable] = "http/protobuf",
        };

        var target = OtlpTarget.Resolve(new TelemetryOptions(), environment.GetValueOrDefault);

        Assert.Equal(new OtlpTarget(new Uri("http://collector:4318/v1/traces"), OtlpExportProtocol.HttpProtobuf), target);
    }

    [Fact]
    public void The_setting_wins_over_the_environment_and_grpc_is_the_default_protocol()
    {
        var target = OtlpTarget.Resolve(new TelemetryOptions { OtlpEndpoint = "http://127.0.0.1:4317" },
            name => name == OtlpTarget.EndpointVariable ? "http://elsewhere:4317" : null);

        Assert.Equal(new OtlpTarget(new Uri("http://127.0.0.1:4317"), OtlpExportProtocol.Grpc), target);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4318", "http/json", "'http/json' is neither grpc nor http/protobuf")]
    [InlineData("collector:4318", "grpc", "'collector:4318' is not an http(s) address")]
    public void A_bad_endpoint_or_protocol_fails_start_up_naming_the_settings(string endpoint, string protocol, string message)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol });

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("KAITO_TELEMETRY__OTLPENDPOINT", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kaito_activities_are_posted_to_the_collector_over_OTLP_HTTP()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var exporter = new TraceExportService(
            Options.Create(new TelemetryOptions { OtlpEndpoint = collector.BaseAddress.ToString(), OtlpProtocol = TelemetryOptions.HttpProtobuf }),
            NullLogger<TraceExportService>.Instance);
        await exporter.StartAsync(CancellationToken.None);
        using (var activity = KaitoMetrics.ActivitySource.StartActivity("workspace reconcile"))
        {
            activity?.SetTag("kaito.aggregate", "default/otlp-unit/0000");
        }

        await exporter.StopAsync(CancellationToken.None);
        exporter.Dispose();

        var export = Assert.Single(collector.Exports, e => e.Carries("default/otlp-unit/0000"));
        Assert.Equal(("POST", "/v1/traces", "application/x-protobuf"), (export.Method, export.Path, export.ContentType));
        Assert.True(export.Carries("workspace reconcile"));
    }
}
