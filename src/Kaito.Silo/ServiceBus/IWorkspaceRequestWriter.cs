using System.Text.Json.Nodes;

namespace Kaito.Silo.ServiceBus;

/// <summary>Where an accepted request goes: the Workspace custom resource, as kubectl would write it.</summary>
public interface IWorkspaceRequestWriter
{
    /// <summary>The Workspace as stored, or null when there is none.</summary>
    Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Server-side apply of <paramref name="workspace"/> (a Workspace object).</summary>
    Task ApplyAsync(JsonObject workspace, CancellationToken cancellationToken);

    /// <summary>Deletes the Workspace; false when there was none.</summary>
    Task<bool> DeleteAsync(string ns, string name, CancellationToken cancellationToken);
}
