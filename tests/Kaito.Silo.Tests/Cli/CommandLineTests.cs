namespace Kaito.Silo.Tests.Cli;

/// <summary>What System.CommandLine gives every verb: help, completion, usage errors with exit 2.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("validate", "--filename")]
    [InlineData("presets", "--catalog")]
    [InlineData("audit", "--server")]
    public void Each_verb_prints_its_help_with_exit_0(string verb, string option)
    {
        var viaFlag = CliRun.Of(verb, "--help");
        var viaHelp = CliRun.Of("help", verb);

        Assert.Equal(0, viaFlag.ExitCode);
        Assert.Contains("Usage:", viaFlag.Stdout, StringComparison.Ordinal);
        Assert.Contains($"kaito {verb}", viaFlag.Stdout, StringComparison.Ordinal);
        Assert.Contains(option, viaFlag.Stdout, StringComparison.Ordinal);
        Assert.Equal(viaFlag.Stdout, viaHelp.Stdout);
    }

    [Fact]
    public void Run_help_lists_the_settings_flags()
    {
        var run = CliRun.Of("run", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: kaito run", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overview_names_every_verb()
    {
        var run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var verb in new[] { "run", "validate", "presets", "skus", "crds", "audit" })
        {
            Assert.Contains($"  kaito {verb}", run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_arguments_print_the_overview_on_stderr_with_exit_2()
    {
        var run = CliRun.Of();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("kaito validate -f FILE...", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void The_suggest_directive_completes_verbs_and_option_values()
    {
        var verbs = CliRun.Of("[suggest:8]", "kaito au");
        var formats = CliRun.Of("[suggest:20]", "kaito presets -o ");

        Assert.Equal(0, verbs.ExitCode);
        Assert.Equal(["audit"], verbs.Lines.Select(l => l.Trim()));
        Assert.Equal(["json", "table", "wide"], formats.Lines.Select(l => l.Trim()).Order());
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("audit", "a/b/c")]
    [InlineData("audit", "default/x", "-o", "yaml")]
    [InlineData("audit", "default/x", "--server", "not a url")]
    public void Audit_usage_errors_exit_2(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("kaito: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("kaito audit", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Kaito_audit_with_no_server_listening_exits_1_saying_so()
    {
        var run = CliRun.Of("audit", "default/x", "--server", $"http://127.0.0.1:{EndToEnd.ControlPlaneFixture.FreePort()}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not answer", run.Stderr, StringComparison.Ordinal);
    }
}
