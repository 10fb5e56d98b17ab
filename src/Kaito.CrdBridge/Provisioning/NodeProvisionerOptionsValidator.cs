using Microsoft.Extensions.Options;

namespace Kaito.CrdBridge.Provisioning;

/// <summary>Fails at start, naming the setting, when the node provisioner cannot work as configured.</summary>
public sealed class NodeProvisionerOptionsValidator : IValidateOptions<NodeProvisionerOptions>
{
    private static readonly string[] ImageFamilies = ["", "ubuntu", "azurelinux"];

    public ValidateOptionsResult Validate(string? name, NodeProvisionerOptions options)
    {
        const string Section = NodeProvisionerOptions.SectionName;
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Kind))
        {
            errors.Add($"{Section}:Kind must be one of {string.Join(", ", Enum.GetNames<NodeProvisionerKind>())}, not {options.Kind}.");
        }

        if (options.Kind == NodeProvisionerKind.NodeClaim)
        {
            foreach (var (setting, value) in new[]
                     {
                         ("NodeClassGroup", options.NodeClassGroup), ("NodeClassKind", options.NodeClassKind),
                         ("NodeClassName", options.NodeClassName),
                     })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"{Section}:{setting} must be set when {Section}:Kind is NodeClaim (karpenter.sh/v1 requires spec.nodeClassRef).");
                }
            }

            if (!ImageFamilies.Contains(options.NodeImageFamily ?? "", StringComparer.Ordinal))
            {
                errors.Add($"{Section}:NodeImageFamily must be ubuntu, azurelinux or empty, not \"{options.NodeImageFamily}\".");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
