using System.Text.RegularExpressions;

namespace Kaito.NodeSimulator.Nodes;

/// <summary>CPU and memory of a simulated node, read from the instance type's name (Azure: the vCPU count follows the family letters).</summary>
internal static partial class InstanceShape
{
    private const int DefaultCpus = 8;
    private const int GiPerCpu = 8;

    public static int Cpus(string instanceType)
    {
        var match = AzureSize().Match(instanceType);
        return match.Success && int.TryParse(match.Groups[1].Value, out var cpus) && cpus > 0 ? cpus : DefaultCpus;
    }

    public static string Memory(string instanceType) => Cpus(instanceType) * GiPerCpu + "Gi";

    [GeneratedRegex(@"^Standard_[A-Z]+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex AzureSize();
}
