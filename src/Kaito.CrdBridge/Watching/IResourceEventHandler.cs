namespace Kaito.CrdBridge.Watching;

/// <summary>Receives a <see cref="ResourceWatcher"/>'s events one at a time, in order.</summary>
public interface IResourceEventHandler
{
    Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken);
}
