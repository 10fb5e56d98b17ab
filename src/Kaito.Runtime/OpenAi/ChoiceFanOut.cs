using System.Runtime.ExceptionServices;
using Kaito.Runtime.Generation;

namespace Kaito.Runtime.OpenAi;

/// <summary>
/// Runs the n choices of one request side by side, each as its own generation holding its own slot only while it
/// runs (so two requests waiting for more slots can never hold each other's). The first failure cancels the others
/// and is the one rethrown.
/// </summary>
public static class ChoiceFanOut
{
    public static async Task<T[]> RunAsync<T>(
        IReadOnlyList<GenerationRequest> requests,
        Func<int, GenerationRequest, CancellationToken, Task<T>> run,
        CancellationToken cancellationToken)
    {
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new Exception?[1];
        var tasks = requests.Select(async (request, index) =>
        {
            try
            {
                return await run(index, request, siblings.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref failures[0], error, null);
                await siblings.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToArray();
        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch when (failures[0] is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
            throw;
        }
    }
}
