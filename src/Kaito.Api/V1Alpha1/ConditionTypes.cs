namespace Kaito.Api.V1Alpha1;

/// <summary>Upstream's condition types; dashboards and scripts read these names.</summary>
public static class ConditionTypes
{
    public const string ResourceReady = "ResourceReady";
    public const string InferenceReady = "InferenceReady";
    public const string JobStarted = "JobStarted";
    public const string WorkspaceSucceeded = "WorkspaceSucceeded";
    public const string NodeClaimReady = "NodeClaimReady";
    public const string WorkspaceDeleting = "WorkspaceDeleting";
}
