using Kaito.Api.Crd;

namespace Kaito.Silo.Cli;

public static class CrdsCommand
{
    public const string Usage = """
        Usage: kaito crds
          Prints the Workspace CustomResourceDefinition, generated from the API types.
          Install it with: kaito crds | kubectl apply -f -
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var reader = new ArgumentReader(args, Usage);
        if (reader.TryNext(out var arg))
        {
            if (arg is "-h" or "--help")
            {
                stdout.WriteLine(Usage);
                return ExitCodes.Ok;
            }

            throw reader.Fail($"unknown argument \"{arg}\"");
        }

        stdout.Write(WorkspaceCrd.ToYaml());
        return ExitCodes.Ok;
    }
}
