using Kaito.Silo.Cli;

namespace Kaito.Silo.Tests.Cli;

/// <summary>Runs the kaito command in-process and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun WithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = KaitoCommand.Run(args, new StringReader(stdin), stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public static CliRun Of(params string[] args) => WithInput("", args);

    public IReadOnlyList<string> Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
