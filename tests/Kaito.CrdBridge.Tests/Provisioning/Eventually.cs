namespace Kaito.CrdBridge.Tests.Provisioning;

/// <summary>Awaits a condition with a deadline instead of sleeping for a fixed time.</summary>
internal static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeoutSeconds} s: {what}");
            }

            await Task.Delay(50);
        }
    }
}
