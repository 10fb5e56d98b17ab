namespace Kaito.Silo.Run;

/// <summary>
/// The settings of <c>kaito run</c>: configuration key, command-line flag and environment variable of each, so that
/// errors name the setting the way the user set it.
/// </summary>
public static class RunSettings
{
    public const string EnvironmentPrefix = "KAITO_";

    /// <summary>Flag -> configuration key. Nested keys use ':' (environment variables use '__').</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--kubeconfig"] = nameof(RunOptions.Kubeconfig),
        ["--storage"] = nameof(RunOptions.Storage),
        ["--clustering"] = nameof(RunOptions.Clustering),
        ["--service-id"] = nameof(RunOptions.ServiceId),
        ["--cluster-id"] = nameof(RunOptions.ClusterId),
        ["--silo-port"] = nameof(RunOptions.SiloPort),
        ["--gateway-port"] = nameof(RunOptions.GatewayPort),
        ["--advertised-address"] = nameof(RunOptions.AdvertisedAddress),
        ["--install-crds"] = nameof(RunOptions.InstallCrds),
        ["--table-prefix"] = nameof(RunOptions.TablePrefix),
        ["--provisioner"] = "NodeProvisioner:Kind",
        ["--webhook"] = "Webhook:Enabled",
        ["--webhook-port"] = "Webhook:Port",
        ["--webhook-mode"] = "Webhook:Mode",
        ["--webhook-cert-dir"] = "Webhook:CertDir",
        ["--aks-subscription"] = "NodeProvisioner:AgentPool:SubscriptionId",
        ["--aks-resource-group"] = "NodeProvisioner:AgentPool:ResourceGroup",
        ["--aks-cluster"] = "NodeProvisioner:AgentPool:ClusterName",
        ["--aks-location"] = "NodeProvisioner:AgentPool:Location",
        ["--servicebus"] = "ServiceBus:ConnectionString",
        ["--servicebus-queue"] = "ServiceBus:IntakeQueue",
        ["--servicebus-status-topic"] = "ServiceBus:StatusTopic",
        ["--audit"] = "Audit:Enabled",
        ["--audit-url"] = "Audit:Url",
        ["--audit-token"] = "Audit:Token",
        ["--log-format"] = "Logging:Format",
    };

    /// <summary>How a user names a setting: <c>--storage / KAITO_STORAGE / "Storage"</c>.</summary>
    public static string Describe(string key)
    {
        var flag = Flags.FirstOrDefault(f => f.Value == key).Key;
        var env = EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
        return flag is null ? $"{env} or \"{key}\" in the config file" : $"{flag}, {env} or \"{key}\" in the config file";
    }
}
