using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Kaito.Api.Catalog;
using Kaito.Silo.Run;

namespace Kaito.Silo.Cli;

/// <summary>The <c>kaito</c> command (System.CommandLine): one verb per job, usage errors exit 2 with the verb's help on stderr.</summary>
public static class KaitoCommand
{
    public const string Usage = """
        kaito: the Kaito.NET control plane and its tools.

        Usage:
          kaito run [--config FILE] [--kubeconfig PATH] [--storage CONNECTION-STRING] [--provisioner KIND] ...
                                     Host the control plane (grains + Kubernetes bridge) until SIGTERM.
          kaito validate -f FILE... [--old FILE] [-o text|json] [--catalog DIR]
                                     Check Workspace manifests offline with the admission rules.
          kaito presets [-o table|json] [--catalog DIR]
                                     List the preset models.
          kaito skus [-o table|json] [--catalog DIR]
                                     List the GPU SKUs.
          kaito crds                 Print the Workspace CustomResourceDefinition (YAML).
          kaito audit NAMESPACE/NAME [--uid UID] [-o table|json] [--server URL] [--token TOKEN]
                                     Print a Workspace's event history from the audit API of kaito run.
          kaito help [VERB]          Show this text, or a verb's (also: kaito VERB --help).

        Completion: kaito "[suggest:N]" "COMMAND LINE" prints the completions at cursor position N (README, "The kaito command").
        Exit status: 0 success, 1 invalid input, 2 usage error.
        """;

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
        {
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        var root = Create(stdin, stdout, stderr);
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            return Refuse(root, parsed.CommandResult.Command, parsed.Errors.Select(e => e.Message), stderr);
        }

        try
        {
            return parsed.Invoke(invocation);
        }
        catch (Exception ex) when (ex is CatalogLoadException or AuditUnavailableException)
        {
            stderr.WriteLine($"kaito: {ex.Message}");
            return ExitCodes.Invalid;
        }
        catch (UsageException ex)
        {
            return Refuse(root, parsed.CommandResult.Command, [ex.Message], stderr);
        }
    }

    /// <summary>The whole command tree; <paramref name="stdin"/> feeds <c>validate -f -</c>.</summary>
    public static RootCommand Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("The Kaito.NET control plane and its tools.") { HelpName = "kaito" };
        var run = new Command("run", "Host the control plane (grains + Kubernetes bridge) until SIGTERM.")
        {
            // Settings flags belong to RunSettings (flag -> configuration key): run's arguments pass through to it untouched.
            TreatUnmatchedTokensAsErrors = false,
        };
        run.SetAction(parsed => RunCommand.Run(parsed.UnmatchedTokens, stdout, stderr));
        root.Subcommands.Add(run);
        root.Subcommands.Add(ValidateCommand.Create(stdin, stdout));
        root.Subcommands.Add(CatalogCommand.CreatePresets(stdout));
        root.Subcommands.Add(CatalogCommand.CreateSkus(stdout));
        root.Subcommands.Add(CrdsCommand.Create(stdout));
        root.Subcommands.Add(AuditCommand.Create(stdout));
        root.Subcommands.Add(CreateHelp(root, stdout));

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new VerbHelpAction((HelpAction)help.Action!, new Dictionary<Command, string> { [root] = Usage, [run] = RunCommand.Usage });
        return root;
    }

    private static Command CreateHelp(RootCommand root, TextWriter stdout)
    {
        var verb = new Argument<string?>("verb") { Description = "The verb to explain.", Arity = ArgumentArity.ZeroOrOne };
        verb.CompletionSources.Add(_ => root.Subcommands.Select(c => c.Name));
        var help = new Command("help", "Show the usage of kaito, or of one verb.") { verb };
        help.SetAction(parsed =>
        {
            var name = parsed.GetValue(verb);
            var target = root.Subcommands.FirstOrDefault(c => c.Name == name && c.Name != "help");
            string[] path = target is null ? ["--help"] : [target.Name, "--help"];
            return root.Parse(path).Invoke(new InvocationConfiguration { Output = stdout });
        });
        return help;
    }

    private static int Refuse(RootCommand root, Command command, IEnumerable<string> messages, TextWriter stderr)
    {
        foreach (var message in messages)
        {
            stderr.WriteLine($"kaito: {message}");
        }

        stderr.WriteLine();
        string[] path = command == root ? ["--help"] : [command.Name, "--help"];
        root.Parse(path).Invoke(new InvocationConfiguration { Output = stderr });
        return ExitCodes.Usage;
    }
}
