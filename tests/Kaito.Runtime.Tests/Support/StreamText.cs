using Kaito.Runtime.Generation;

namespace Kaito.Runtime.Tests.Support;

/// <summary>Reads a generation stream to its end and disposes it.</summary>
public static class StreamText
{
    public static async Task<string> ReadAsync(GenerationStream stream)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in stream.Reader.ReadAllAsync())
        {
            text.Append(chunk.Text);
        }

        await stream.DisposeAsync();
        return text.ToString();
    }
}
