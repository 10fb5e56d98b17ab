namespace Kaito.CrdBridge.Watching;

/// <summary>A watch the bridge runs until the host stops.</summary>
public interface IBridgeWatcher
{
    /// <summary>Lists, watches and reconnects until cancelled; returns (does not throw) when cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
