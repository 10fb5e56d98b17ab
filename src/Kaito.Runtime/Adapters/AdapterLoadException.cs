namespace Kaito.Runtime.Adapters;

/// <summary>An adapter folder that cannot be served; the message names the adapter, its folder and the problem.</summary>
public sealed class AdapterLoadException(string adapter, string folder, string problem, Exception? inner = null)
    : Exception($"Adapter {adapter} ({folder}) cannot be loaded: {problem}", inner)
{
    public string Adapter { get; } = adapter;

    public string Folder { get; } = folder;
}
