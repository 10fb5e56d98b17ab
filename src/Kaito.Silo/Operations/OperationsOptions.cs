namespace Kaito.Silo.Operations;

/// <summary>The operations endpoint of <c>kaito run</c>: <c>/metrics</c> (Prometheus), <c>/healthz</c> and, when turned on, the Orleans Dashboard at <c>/dashboard</c>, over plain HTTP.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    public bool Enabled { get; set; } = true;

    /// <summary>The address listened on; loopback by default, <c>0.0.0.0</c> in a pod so that Prometheus and the probes reach it.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 9464;

    /// <summary>
    /// The Orleans Dashboard at <c>/dashboard</c> (grain activations, calls, silos, reminders). Off by default: it
    /// profiles every grain call and shows grain state, so turn it on where the endpoint is not exposed beyond operators.
    /// </summary>
    public bool Dashboard { get; set; }
}
