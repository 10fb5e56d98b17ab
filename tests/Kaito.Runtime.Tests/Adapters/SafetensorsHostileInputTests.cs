using System.Buffers.Binary;
using System.Text;
using Kaito.Runtime.Adapters;

namespace Kaito.Runtime.Tests.Adapters;

/// <summary>An adapter file is outside input: whatever its bytes, reading it ends in a clear InvalidDataException.</summary>
public sealed class SafetensorsHostileInputTests
{
    [Fact]
    public void An_empty_or_truncated_file_is_refused() =>
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read([1, 2, 3]));

    [Fact]
    public void A_header_length_past_the_file_is_refused_without_allocating_it()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(bytes));
        Assert.Contains("header length", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"w\": {\"dtype\": \"F32\"}}")]
    [InlineData("{\"w\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 4000]}}")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 4], \"data_offsets\": [0, 0]}}")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}")]
    public void A_malformed_header_is_refused_naming_the_problem(string header) =>
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(File(header, 16)));

    [Fact]
    public void A_deeply_nested_header_is_refused()
    {
        var header = "{\"w\":" + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}";
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(File(header, 0)));
    }

    [Fact]
    public void Invalid_utf8_in_the_header_is_refused()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\": \"x\"}");
        header[7] = 0xFF;
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(File(header, 0)));
    }

    private static byte[] File(string header, int dataBytes) => File(Encoding.UTF8.GetBytes(header), dataBytes);

    private static byte[] File(byte[] header, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }
}
