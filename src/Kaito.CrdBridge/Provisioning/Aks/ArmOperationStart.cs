namespace Kaito.CrdBridge.Provisioning.Aks;

/// <summary>What ARM answered to a PUT or DELETE: the status and where to poll (Azure-AsyncOperation, else Location).</summary>
public sealed record ArmOperationStart(int Status, Uri? AsyncOperation, Uri? Location, TimeSpan? RetryAfter)
{
    public Uri? PollUri => AsyncOperation ?? Location;
}
