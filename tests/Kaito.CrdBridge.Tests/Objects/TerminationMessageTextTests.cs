using Kaito.CrdBridge.Objects;

namespace Kaito.CrdBridge.Tests.Objects;

/// <summary>No cluster: a termination message becomes one bounded line for a Workspace condition.</summary>
public sealed class TerminationMessageTextTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("  \n\r\n ", "")]
    [InlineData("Model tiny (/m) cannot be loaded: bad json\n", "Model tiny (/m) cannot be loaded: bad json")]
    [InlineData("a\tb\r\n\r\nc   d", "a b | c d")]
    public void Lines_become_one_with_whitespace_collapsed(string? message, string expected) =>
        Assert.Equal(expected, TerminationMessageText.OneLine(message));

    [Fact]
    public void A_long_single_line_keeps_its_start()
    {
        var line = "Adapter tuned cannot be loaded: " + new string('y', 4000);

        var text = TerminationMessageText.OneLine(line);

        Assert.Equal(TerminationMessageText.MaxLength, text.Length);
        Assert.StartsWith("Adapter tuned cannot be loaded: yyy", text, StringComparison.Ordinal);
        Assert.EndsWith("y ...", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_log_tail_keeps_its_last_lines()
    {
        var tail = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"line {i:D3}"));

        var text = TerminationMessageText.OneLine(tail);

        Assert.True(text.Length <= TerminationMessageText.MaxLength, $"{text.Length} characters");
        Assert.StartsWith("... | line ", text, StringComparison.Ordinal);
        Assert.EndsWith("line 199 | line 200", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_last_line_longer_than_the_bound_keeps_its_end()
    {
        var text = TerminationMessageText.OneLine("first\n" + new string('z', 3000) + "END");

        Assert.Equal(TerminationMessageText.MaxLength, text.Length);
        Assert.StartsWith("... | zzz", text, StringComparison.Ordinal);
        Assert.EndsWith("zEND", text, StringComparison.Ordinal);
    }
}
