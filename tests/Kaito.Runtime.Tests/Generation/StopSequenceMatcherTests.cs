using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Generation;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Text_before_a_stop_sequence_split_over_pieces_is_emitted_and_the_rest_dropped()
    {
        var matcher = new StopSequenceMatcher(["xyz"]);
        var emitted = matcher.Push("abcx") + matcher.Push("y") + matcher.Push("z123");
        Assert.True(matcher.Stopped);
        Assert.Equal("abc", emitted + matcher.Flush());
    }

    [Fact]
    public void Held_back_text_comes_out_when_generation_ends_without_a_match()
    {
        var matcher = new StopSequenceMatcher(["xyz"]);
        var emitted = matcher.Push("abx") + matcher.Push("y");
        Assert.False(matcher.Stopped);
        Assert.Equal("abxy", emitted + matcher.Flush());
    }

    [Fact]
    public void Without_stop_sequences_text_passes_straight_through()
    {
        var matcher = new StopSequenceMatcher([]);
        Assert.Equal("abc", matcher.Push("abc"));
    }
}
