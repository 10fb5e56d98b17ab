namespace Kaito.Grains.Ports;

/// <summary>A cloud operation's state, with the cloud's error code and message when it failed.</summary>
/// <param name="Permanent">Retrying cannot help (quota, SKU, authorization): the machine fails at once.</param>
public sealed record NodeOperationStatus(
    NodeOperationState State,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    bool Permanent = false)
{
    public bool IsTerminal => State is not NodeOperationState.InProgress;
}
