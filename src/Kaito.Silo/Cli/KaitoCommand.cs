using Kaito.Api.Catalog;
using Kaito.Silo.Run;

namespace Kaito.Silo.Cli;

/// <summary>The <c>kaito</c> command: one verb per job.</summary>
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
          kaito help [VERB]          Show this text, or a verb's.

        Exit status: 0 success, 1 invalid input, 2 usage error.
        """;

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
        {
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        var rest = args.Skip(1).ToList();
        try
        {
            return args[0] switch
            {
                "validate" => ValidateCommand.Run(rest, stdin, stdout, stderr),
                "presets" => CatalogCommand.RunPresets(rest, stdout),
                "skus" => CatalogCommand.RunSkus(rest, stdout),
                "crds" => CrdsCommand.Run(rest, stdout),
                "run" => RunCommand.Run(rest, stdout, stderr),
                "help" or "--help" or "-h" => Help(rest, stdout),
                _ => throw new UsageException($"unknown verb \"{args[0]}\"", Usage),
            };
        }
        catch (CatalogLoadException ex)
        {
            stderr.WriteLine($"kaito: {ex.Message}");
            return ExitCodes.Invalid;
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"kaito: {ex.Message}");
            stderr.WriteLine();
            stderr.WriteLine(ex.Usage);
            return ExitCodes.Usage;
        }
    }

    private static int Help(IReadOnlyList<string> rest, TextWriter stdout)
    {
        stdout.WriteLine(rest.FirstOrDefault() switch
        {
            "validate" => ValidateCommand.Usage,
            "presets" or "skus" => CatalogCommand.Usage,
            "crds" => CrdsCommand.Usage,
            "run" => RunCommand.Usage,
            _ => Usage,
        });
        return ExitCodes.Ok;
    }
}
