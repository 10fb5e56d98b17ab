namespace Kaito.Grains.Workspaces;

/// <summary>A Workspace grain key, <c>namespace/name</c>.</summary>
public readonly record struct WorkspaceKey(string Namespace, string Name)
{
    public static WorkspaceKey Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0
            ? throw new ArgumentException($"A Workspace key is 'namespace/name', not '{key}'.", nameof(key))
            : new WorkspaceKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
