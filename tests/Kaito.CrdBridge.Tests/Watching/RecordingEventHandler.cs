using Kaito.CrdBridge.Watching;

namespace Kaito.CrdBridge.Tests.Watching;

/// <summary>Records the events a <see cref="ResourceWatcher"/> delivers; throws for objects named in <see cref="Poison"/>.</summary>
public sealed class RecordingEventHandler : IResourceEventHandler
{
    private readonly Lock _gate = new();
    private readonly List<(ResourceEventType Type, string Name, string Uid)> _events = [];

    public HashSet<string> Poison { get; } = [];

    public IReadOnlyList<(ResourceEventType Type, string Name, string Uid)> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    public Task HandleAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _events.Add((resourceEvent.Type, resourceEvent.Name ?? "", resourceEvent.Uid ?? ""));
        }

        return Poison.Contains(resourceEvent.Name ?? "")
            ? throw new InvalidOperationException($"poisoned {resourceEvent.Name}")
            : Task.CompletedTask;
    }

    public async Task WaitForAsync(ResourceEventType type, string name, string? uid = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!Events.Any(e => e.Type == type && e.Name == name && (uid is null || e.Uid == uid)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {type} of {name}; events: {string.Join(", ", Events)}");
            }

            await Task.Delay(20);
        }
    }
}
