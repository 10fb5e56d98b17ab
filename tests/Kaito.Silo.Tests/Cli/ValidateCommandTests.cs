using System.Text.Json;

namespace Kaito.Silo.Tests.Cli;

public sealed class ValidateCommandTests
{
    private static readonly string Examples = RepoPaths.Of("examples");
    private static readonly string Invalid = RepoPaths.Of("tests", "testdata", "workspaces", "invalid");
    private static readonly string Valid = RepoPaths.Of("tests", "testdata", "workspaces", "valid");
    private static readonly string Update = RepoPaths.Of("tests", "testdata", "workspaces", "update");

    [Fact]
    public void Quick_start_manifests_validate_with_exit_0()
    {
        var run = CliRun.Of("validate", "-f", Path.Combine(Examples, "inference-phi-3.yaml"), Path.Combine(Examples, "tuning-phi-3.yaml"),
            "-f", Path.Combine(Examples, "inference-phi-3-adapters.yaml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Lines.Count(l => l.Contains(": valid Workspace default/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_invalid_example_fails_with_one_line_per_error_naming_file_and_field()
    {
        var files = Directory.GetFiles(Invalid, "*.yaml");

        var run = CliRun.Of(["validate", "-f", .. files]);

        Assert.Equal(1, run.ExitCode);
        foreach (var file in files)
        {
            foreach (var expected in File.ReadLines(file).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal)))
            {
                Assert.Contains(run.Lines, l => l.StartsWith($"{file}: {expected["# expect: ".Length..]}", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_valid_example_validates_with_exit_0()
    {
        var files = Directory.GetFiles(Valid, "*.yaml");

        var run = CliRun.Of(["validate", "-f", .. files]);

        Assert.Equal(0, run.ExitCode);
        foreach (var file in files)
        {
            Assert.Contains(run.Lines, l => l.StartsWith($"{file}: valid Workspace default/", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> UpdateCases() => new(Directory.GetDirectories(Update).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void Every_update_example_prints_exactly_its_expected_lines(string dir)
    {
        var newPath = Path.Combine(Update, dir, "new.yaml");
        var expected = File.ReadLines(newPath).Where(l => l.StartsWith("# expect: ", StringComparison.Ordinal))
            .Select(l => $"{newPath}: {l["# expect: ".Length..]}").Order().ToList();

        var run = CliRun.Of("validate", "--old", Path.Combine(Update, dir, "old.yaml"), "-f", newPath);

        if (expected.Count == 0)
        {
            Assert.Equal(0, run.ExitCode);
            Assert.Contains(run.Lines, l => l.StartsWith($"{newPath}: valid Workspace default/", StringComparison.Ordinal));
            return;
        }

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Lines.Where(l => !l.Contains(": warning: ", StringComparison.Ordinal)).Order().ToList());
    }

    [Fact]
    public void A_folder_is_expanded_to_its_manifests()
    {
        var run = CliRun.Of("validate", "-f", Examples);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Directory.GetFiles(Examples, "*.yaml").Length, run.Lines.Count(l => l.Contains(": valid Workspace", StringComparison.Ordinal)));
    }

    [Fact]
    public void Json_output_reports_errors_for_machines()
    {
        var run = CliRun.Of("validate", "-o", "json", "-f", Path.Combine(Invalid, "unsupported-inference-preset.yaml"));

        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        var error = doc.RootElement.GetProperty("files")[0].GetProperty("documents")[0].GetProperty("errors")[0];
        Assert.Equal("inference.preset.name", error.GetProperty("field").GetString());
        Assert.Equal("Unsupported inference preset name \"phi-9\"", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Standard_input_and_multi_document_files_are_read()
    {
        var good = File.ReadAllText(Path.Combine(Examples, "inference-phi-3.yaml"));
        var bad = File.ReadAllText(Path.Combine(Invalid, "unsupported-inference-preset.yaml"));

        var run = CliRun.WithInput(good + "---\n" + bad, "validate", "-f", "-");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("(stdin)#1: valid Workspace default/workspace-phi-3-mini", run.Lines);
        Assert.Contains("(stdin)#2: inference.preset.name: Unsupported inference preset name \"phi-9\"", run.Lines);
    }

    [Fact]
    public void Omitted_instance_type_prints_the_choice_and_why()
    {
        var yaml = File.ReadAllText(Path.Combine(Examples, "inference-phi-3.yaml")).Replace("  instanceType: \"Standard_NC6s_v3\"\n", "", StringComparison.Ordinal);

        var run = CliRun.WithInput(yaml, "validate", "-f", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Lines, l => l.StartsWith("(stdin): resource.instanceType: chose Standard_NV18ads_A10_v5: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_rules_apply_with_old()
    {
        var dir = RepoPaths.Of("tests", "testdata", "workspaces", "update", "instance-type-changed");

        var run = CliRun.Of("validate", "--old", Path.Combine(dir, "old.yaml"), "-f", Path.Combine(dir, "new.yaml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Path.Combine(dir, "new.yaml")}: resource.instanceType: field is immutable", run.Lines);
    }

    [Theory]
    [InlineData("validate", "--bogus")]
    [InlineData("validate")]
    [InlineData("validate", "-f")]
    [InlineData("validate", "-o", "xml", "-f", "x.yaml")]
    [InlineData("presets", "--wide")]
    [InlineData("crds", "extra")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2_with_the_reason_and_usage(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("kaito: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void A_missing_file_is_an_error_line_not_a_crash()
    {
        var run = CliRun.Of("validate", "-f", "/nonexistent/ws.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("/nonexistent/ws.yaml: (file): ", run.Stdout, StringComparison.Ordinal);
    }
}
