using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Kaito.Silo.Cli;

/// <summary>
/// Help for <c>--help</c>: a hand-written text for the commands that have one (the overview, and <c>run</c>, whose flags
/// come from <c>RunSettings</c>, not from options), System.CommandLine's generated help for the others.
/// </summary>
public sealed class VerbHelpAction(HelpAction generated, IReadOnlyDictionary<Command, string> texts) : SynchronousCommandLineAction
{
    /// <summary>Like System.CommandLine's own help: <c>kaito audit --help</c> is help, not a missing argument.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        if (texts.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            parseResult.InvocationConfiguration.Output.WriteLine(text);
            return ExitCodes.Ok;
        }

        return generated.Invoke(parseResult);
    }
}
