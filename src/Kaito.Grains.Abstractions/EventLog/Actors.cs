namespace Kaito.Grains.EventLog;

/// <summary>The actor strings stored with every event, so that audit queries can tell the sources apart.</summary>
public static class Actors
{
    public const string KubernetesWatch = "kubernetes-watch";
    public const string Reconciler = "reconciler";

    public static string ServiceBus(string messageId) => $"servicebus:{messageId}";

    /// <summary>A Service Bus message and who sent it: <c>servicebus:orders-service/4f1c...</c>.</summary>
    public static string ServiceBus(string messageId, string sender) => $"servicebus:{sender}/{messageId}";

    public static string Api(string user) => $"api:{user}";

    public static string Machine(string machineId) => $"machine:{machineId}";

    public static string Workspace(string workspaceKey) => $"workspace:{workspaceKey}";
}
