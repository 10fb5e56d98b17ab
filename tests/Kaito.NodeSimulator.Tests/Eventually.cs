using k8s;

namespace Kaito.NodeSimulator.Tests;

/// <summary>Reads until a condition holds, with a deadline; the failure shows the last value read.</summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T last = default!;
        Exception? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await read();
                error = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception e)
            {
                error = e;
            }

            await Task.Delay(100);
        }

        var shown = error?.Message ?? (last is null ? "null" : KubernetesJson.Serialize(last));
        throw new TimeoutException($"{what}: not within {seconds} s; last seen: {shown}");
    }
}
