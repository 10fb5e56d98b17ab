using System.CommandLine;

namespace Kaito.Silo.Cli;

/// <summary><c>-o, --output</c>: one of a verb's formats, the first being the default.</summary>
public static class OutputOption
{
    public static Option<string> Create(string description, params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = description,
            DefaultValueFactory = _ => formats[0],
            HelpName = string.Join('|', formats),
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
