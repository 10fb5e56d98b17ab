namespace Kaito.Grains.Ports;

/// <summary>The states of a cloud long-running operation (ARM's, by name). Stored by name, never by number.</summary>
public enum NodeOperationState
{
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}
