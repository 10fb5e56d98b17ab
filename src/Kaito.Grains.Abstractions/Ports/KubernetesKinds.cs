namespace Kaito.Grains.Ports;

/// <summary>The kinds of object a Workspace owns.</summary>
public static class KubernetesKinds
{
    public const string ControllerRevision = "ControllerRevision";
    public const string Service = "Service";
    public const string HeadlessService = "HeadlessService";
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";
    public const string Job = "Job";
}
