namespace Kaito.Runtime.Serving;

/// <summary>
/// POST requests the server is handling now, counted from the moment they arrive (before their body is read). The
/// static batching engine reads it as a hint of how many requests are on their way, so that it gathers a burst into
/// one batch but never holds a lone request.
/// </summary>
public sealed class PostsInFlight
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Enter() => Interlocked.Increment(ref _count);

    public void Leave() => Interlocked.Decrement(ref _count);
}
