namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>What starts one pod's runtime: the command, its environment except the port, and where its output goes.</summary>
internal sealed record RuntimeLaunch(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment, string? LogPath)
{
    public const string PortVariable = "Runtime__Port";

    public IReadOnlyDictionary<string, string> EnvironmentFor(int port) =>
        new Dictionary<string, string>(Environment, StringComparer.Ordinal) { [PortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
