using System.Net;
using Kaito.Silo.Run;
using Microsoft.Extensions.Options;

namespace Kaito.Silo.Operations;

public sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        if (!options.Enabled)
        {
            return options.Dashboard
                ? ValidateOptionsResult.Fail($"Operations:Dashboard is served on the operations endpoint, which Operations:Enabled turns off; set {RunSettings.Describe("Operations:Enabled")}.")
                : ValidateOptionsResult.Success;
        }

        if (!IPAddress.TryParse(options.Host, out _))
        {
            return ValidateOptionsResult.Fail($"Operations:Host '{options.Host}' is not an IP address; set {RunSettings.Describe("Operations:Host")}.");
        }

        return options.Port is < 1 or > 65535
            ? ValidateOptionsResult.Fail($"Operations:Port {options.Port} is not a port (1-65535); set {RunSettings.Describe("Operations:Port")}.")
            : ValidateOptionsResult.Success;
    }
}
