using Kaito.Silo.Run;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Telemetry;

public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        try
        {
            OtlpTarget.Resolve(options, Environment.GetEnvironmentVariable);
            return ValidateOptionsResult.Success;
        }
        catch (FormatException ex)
        {
            return ValidateOptionsResult.Fail(
                $"Traces cannot be exported: {ex.Message}; set {RunSettings.Describe("Telemetry:OtlpEndpoint")} and {RunSettings.Describe("Telemetry:OtlpProtocol")} (or {OtlpTarget.EndpointVariable}, {OtlpTarget.ProtocolVariable}).");
        }
    }
}
