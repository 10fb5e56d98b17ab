namespace Kaito.CrdBridge.Watching;

public enum ResourceEventType
{
    Added,
    Modified,
    /// <summary>The object is gone: a DELETED watch event, or it was missing from a re-list.</summary>
    Deleted,
    /// <summary>The object was in a (re-)list: its current state, whether or not it changed.</summary>
    Resync,
}
