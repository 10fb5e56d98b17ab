using System.CommandLine;
using System.Text.Json;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito validate</c>: the admission rules, offline, over files, folders or standard input.</summary>
public static class ValidateCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create(TextReader stdin, TextWriter stdout)
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "A manifest (YAML or JSON, several documents allowed), a folder of them, or - for stdin; repeat the flag or list several files after it.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var old = new Option<string?>("--old")
        {
            Description = "Validate -f as an update of this Workspace (immutable fields, no toggling).",
            HelpName = "FILE",
        };
        var output = OutputOption.Create("text (default): one line per error, \"FILE: field: message\"; json: a report for machines.", "text", "json");
        var catalog = CatalogOption.Create();
        var command = new Command("validate", "Check Workspace manifests offline with the admission rules. Exit status: 0 when every Workspace is valid, 1 otherwise, 2 on a usage error.")
        {
            files, old, output, catalog,
        };
        command.SetAction(parsed => Run([.. parsed.GetValue(files) ?? []], parsed.GetValue(old), parsed.GetValue(output)!, parsed.GetValue(catalog), stdin, stdout));
        return command;
    }

    private static int Run(IReadOnlyList<string> files, string? old, string output, string? catalogDir, TextReader stdin, TextWriter stdout)
    {
        if (files.Count == 0)
        {
            throw new UsageException("no files: give at least one with -f");
        }

        var validator = new WorkspaceValidator(CatalogOption.Load(catalogDir));
        var oldWorkspace = old is null ? null : ReadOld(old);
        var reports = ExpandFiles(files).Select(f => Validate(f, stdin, validator, oldWorkspace)).ToList();
        if (output == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(new { Valid = reports.All(r => r.Valid), Files = reports }, Json));
        }
        else
        {
            foreach (var report in reports)
            {
                WriteText(report, stdout);
            }
        }

        return reports.All(r => r.Valid) ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    private static Api.V1Alpha1.Workspace ReadOld(string path)
    {
        try
        {
            return WorkspaceSerializer.Read(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--old {path}: {ex.Message}");
        }
        catch (WorkspaceFormatException ex)
        {
            throw new UsageException($"--old {path}: not a valid Workspace: {ex.Message}");
        }
    }

    private static IEnumerable<string> ExpandFiles(IEnumerable<string> files) => files.SelectMany<string, string>(f =>
        Directory.Exists(f)
            ? Directory.EnumerateFiles(f).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [f]);

    private static FileReport Validate(string file, TextReader stdin, WorkspaceValidator validator, Api.V1Alpha1.Workspace? old)
    {
        string text;
        try
        {
            text = file == "-" ? stdin.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileReport(file, [new DocumentReport(0, null, [new FieldError("(file)", ex.Message)], [], null)]);
        }

        var documents = WorkspaceSerializer.ReadAll(text).Select(doc =>
        {
            if (doc.Workspace is not { } ws)
            {
                return new DocumentReport(doc.Index, null, doc.Errors, [], null);
            }

            var result = old is null ? validator.ValidateCreate(ws) : validator.ValidateUpdate(old, ws);
            var name = $"{ws.Metadata.NamespaceProperty ?? "default"}/{ws.Metadata.Name}";
            return new DocumentReport(doc.Index, name, result.Errors, result.Warnings, result.InstanceType);
        }).ToList();
        return new FileReport(file == "-" ? "(stdin)" : file, documents);
    }

    private static void WriteText(FileReport report, TextWriter stdout)
    {
        foreach (var doc in report.Documents)
        {
            var label = report.Documents.Count > 1 ? $"{report.File}#{doc.Index + 1}" : report.File;
            foreach (var error in doc.Errors)
            {
                stdout.WriteLine($"{label}: {error.Field}: {error.Message}");
            }

            foreach (var warning in doc.Warnings)
            {
                stdout.WriteLine($"{label}: warning: {warning}");
            }

            if (doc.InstanceType is { } decision)
            {
                stdout.WriteLine($"{label}: resource.instanceType: chose {decision.InstanceType}: {decision.Reason}");
            }

            if (doc.Valid)
            {
                stdout.WriteLine($"{label}: valid Workspace {doc.Workspace}");
            }
        }
    }

    private sealed record FileReport(string File, IReadOnlyList<DocumentReport> Documents)
    {
        public bool Valid => Documents.All(d => d.Valid);
    }

    private sealed record DocumentReport(int Index, string? Workspace, IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings, InstanceTypeDecision? InstanceType)
    {
        public bool Valid => Errors.Count == 0;
    }
}
