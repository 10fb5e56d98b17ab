using System.Text;
using Kaito.Runtime.Lifecycle;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Lifecycle;

public sealed class TerminationMessageTests
{
    [Fact]
    public void A_long_reason_is_cut_to_the_4_KiB_kubernetes_reads_without_splitting_a_character()
    {
        var bytes = TerminationMessage.Truncate("x" + new string('é', 5000));
        Assert.InRange(bytes.Length, TerminationMessage.MaxBytes - 8, TerminationMessage.MaxBytes);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.EndsWith("é ...", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_written_when_the_folder_does_not_exist()
    {
        var path = Path.Combine(TestModelFiles.NewScratchDirectory(), "missing", "termination-log");
        Assert.False(TerminationMessage.Write(path, "reason"));
        Assert.False(File.Exists(path));
    }
}
