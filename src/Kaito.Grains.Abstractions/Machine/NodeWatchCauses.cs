namespace Kaito.Grains.Machines;

/// <summary>
/// The causes the bridge's node watch gives a machine's reconcile (<c>watch:node-&lt;event&gt;</c>). Every one but
/// <see cref="Deleted"/> comes from an event that carried the machine's node, so the node was there a moment ago.
/// </summary>
public static class NodeWatchCauses
{
    public const string Added = "watch:node-added";
    public const string Modified = "watch:node-modified";
    public const string Resync = "watch:node-resync";
    public const string Deleted = "watch:node-deleted";

    /// <summary>True when the cause is a watch event that showed the node present.</summary>
    public static bool SawNode(string cause) => cause is Added or Modified or Resync;
}
