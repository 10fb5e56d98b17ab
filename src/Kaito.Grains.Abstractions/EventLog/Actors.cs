namespace Kaito.Grains.EventLog;

/// <summary>The actor strings stored with every event, so that audit queries can tell the sources apart.</summary>
public static class Actors
{
    public const string KubernetesWatch = "kubernetes-watch";
    public const string Reconciler = "reconciler";

    public static string ServiceBus(string messageId) => $"servicebus:{messageId}";

    public static string Api(string user) => $"api:{user}";

    public static string Machine(string machineId) => $"machine:{machineId}";

    public static string Workspace(string workspaceKey) => $"workspace:{workspaceKey}";
}
