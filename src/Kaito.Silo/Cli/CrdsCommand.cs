using System.CommandLine;
using Kaito.Api.Crd;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito crds</c>: the Workspace CRD generated from the API types.</summary>
public static class CrdsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("crds", "Print the Workspace CustomResourceDefinition, generated from the API types. Install it with: kaito crds | kubectl apply -f -");
        command.SetAction(_ =>
        {
            stdout.Write(WorkspaceCrd.ToYaml());
            return ExitCodes.Ok;
        });
        return command;
    }
}
