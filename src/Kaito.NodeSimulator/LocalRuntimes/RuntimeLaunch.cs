namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// What starts one pod's runtime: the command, its environment except the port, where its output goes and its
/// termination-message file (whose path is in the environment as <see cref="TerminationMessageVariable"/>).
/// </summary>
internal sealed record RuntimeLaunch(
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    string? LogPath,
    TerminationMessageFile TerminationMessage)
{
    public const string PortVariable = "Runtime__Port";
    public const string TerminationMessageVariable = "Runtime__TerminationMessagePath";

    public IReadOnlyDictionary<string, string> EnvironmentFor(int port) =>
        new Dictionary<string, string>(Environment, StringComparer.Ordinal) { [PortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
