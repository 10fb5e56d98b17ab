namespace Kaito.Silo.Run;

/// <summary>
/// What <c>kaito run</c> needs, bound from the configuration (file, <c>KAITO_*</c> environment variables, flags; later
/// wins). Each property's flag and environment variable are in <see cref="RunSettings"/>.
/// </summary>
public sealed class RunOptions
{
    /// <summary>Path of a kubeconfig; empty: in-cluster when running in a pod, else <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Azure Storage connection string for the event log, reminders and (azuretable) clustering.</summary>
    public string? Storage { get; set; }

    /// <summary><c>localhost</c> (one process) or <c>azuretable</c> (several silos sharing the storage account).</summary>
    public string Clustering { get; set; } = "localhost";

    public string ServiceId { get; set; } = "kaito";

    public string ClusterId { get; set; } = "kaito";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos and clients reach this silo at (azuretable clustering); empty: the host's
    /// first non-loopback address (the pod IP in Kubernetes). <c>127.0.0.1</c> keeps several local silos on loopback.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Install or upgrade the Workspace CRD at start.</summary>
    public bool InstallCrds { get; set; } = true;

    /// <summary>Prefix of every table this silo writes (event logs, reminders, membership).</summary>
    public string TablePrefix { get; set; } = "kaito";

    /// <summary>How long start-up waits for the API server and the storage account before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
