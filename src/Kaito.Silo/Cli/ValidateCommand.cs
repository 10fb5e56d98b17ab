using System.Text.Json;
using Kaito.Api.Serialization;
using Kaito.Api.Validation;

namespace Kaito.Silo.Cli;

/// <summary><c>kaito validate</c>: the admission rules, offline, over files, folders or standard input.</summary>
public static class ValidateCommand
{
    public const string Usage = """
        Usage: kaito validate -f FILE... [--old FILE] [-o text|json] [--catalog DIR]
          -f, --filename FILE   a manifest (YAML or JSON, several documents allowed), a folder of them, or - for stdin;
                                repeat the flag or list several files after it
          --old FILE            validate -f as an update of this Workspace (immutable fields, no toggling)
          -o, --output          text (default): one line per error, "FILE: field: message"; json: a report for machines
          --catalog DIR         a folder with models.yaml and skus.yaml instead of the shipped catalog
        Exit status: 0 when every Workspace is valid, 1 otherwise, 2 on a usage error.
        """;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var files = new List<string>();
        string output = "text";
        string? old = null;
        string? catalogDir = null;
        var reader = new ArgumentReader(args, Usage);
        while (reader.TryNext(out var arg))
        {
            var (flag, inline) = ArgumentReader.Split(arg);
            switch (flag)
            {
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return ExitCodes.Ok;
                case "-f" or "--filename":
                    files.Add(reader.Value(flag, inline));
                    files.AddRange(reader.MoreValues());
                    break;
                case "--old":
                    old = reader.Value(flag, inline);
                    break;
                case "-o" or "--output":
                    output = reader.Choice(flag, inline, "text", "json");
                    break;
                case "--catalog":
                    catalogDir = reader.Value(flag, inline);
                    break;
                default:
                    throw reader.Fail(arg.StartsWith('-') ? $"unknown flag \"{arg}\"" : $"unexpected argument \"{arg}\" (files go after -f)");
            }
        }

        if (files.Count == 0)
        {
            throw reader.Fail("no files: give at least one with -f");
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
            throw new UsageException($"--old {path}: {ex.Message}", Usage);
        }
        catch (WorkspaceFormatException ex)
        {
            throw new UsageException($"--old {path}: not a valid Workspace: {ex.Message}", Usage);
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
