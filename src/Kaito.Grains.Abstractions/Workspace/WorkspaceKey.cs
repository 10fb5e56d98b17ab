namespace Kaito.Grains.Workspaces;

/// <summary>
/// A Workspace grain key: <c>namespace/name/uid</c> for a Workspace object of the cluster, so that deleting a
/// Workspace and creating one with the same name starts a new history (and new machine names); <c>namespace/name</c>
/// for a document that has no object behind it (offline tools, tests).
/// </summary>
public readonly record struct WorkspaceKey(string Namespace, string Name, string? Uid = null)
{
    public static WorkspaceKey Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0)
            ? throw new ArgumentException($"A Workspace key is 'namespace/name' or 'namespace/name/uid', not '{key}'.", nameof(key))
            : new WorkspaceKey(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary><c>namespace/name</c>, as kubectl names the object.</summary>
    public string ObjectName => $"{Namespace}/{Name}";

    public override string ToString() => Uid is null ? ObjectName : $"{ObjectName}/{Uid}";
}
