using System.Diagnostics;

namespace Kaito.Silo.Tests.Cli;

/// <summary><c>kaito validate</c> refuses hostile documents at once, with the reader's limits in the message.</summary>
public sealed class ValidateHostileInputTests
{
    private static readonly string Hostile = RepoPaths.Of("tests", "testdata", "workspaces", "hostile");

    [Theory]
    [InlineData("alias-bomb.yaml", "refused: more than 100000 nodes once aliases are expanded")]
    [InlineData("deep-nesting.yaml", "refused: nesting deeper than 64 levels")]
    public void A_hostile_manifest_fails_within_a_second_naming_the_limit(string file, string expected)
    {
        var path = Path.Combine(Hostile, file);
        var clock = Stopwatch.StartNew();

        var run = CliRun.Of("validate", "-f", path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Lines, l => l.StartsWith($"{path}: (document): {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_manifest_over_the_size_limit_fails_naming_the_limit()
    {
        var text = "apiVersion: kaito.sh/v1alpha1\nkind: Workspace\nmetadata: {name: big}\n# " + new string('x', 1024 * 1024) + "\n";

        var run = CliRun.WithInput(text, "validate", "-f", "-");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused: the document is", run.Stdout, StringComparison.Ordinal);
    }
}
