namespace Kaito.NodeSimulator.Watching;

/// <summary>Where a <see cref="ListWatchLoop{T}"/> delivers what it sees.</summary>
internal interface IWatchSink<in T>
{
    /// <summary>A full list: everything else the sink holds is gone.</summary>
    void Replace(IEnumerable<T> items);

    void Upsert(T item);

    void Remove(T item);
}
