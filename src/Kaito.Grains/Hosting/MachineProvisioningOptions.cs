namespace Kaito.Grains.Hosting;

/// <summary>Deadlines and retries of GPU node provisioning.</summary>
public sealed class MachineProvisioningOptions
{
    /// <summary>How long a created node may take to register; upstream waits 240 s.</summary>
    public TimeSpan NodeRegistrationTimeout { get; set; } = TimeSpan.FromSeconds(240);

    /// <summary>How long a registered node may take to be Ready with nvidia.com/gpu capacity.</summary>
    public TimeSpan GpuReadyTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Create attempts before the machine fails for good.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Replacement machines a Workspace requests after machines failed for good, before it stays Failed until a new
    /// revision; upstream keeps retrying, this caps it. 0 turns replacement off.
    /// </summary>
    public int MaxReplacements { get; set; } = 5;

    /// <summary>Delay before the first replacement; doubles for each next one, up to <see cref="ReplacementBackoffCap"/>.</summary>
    public TimeSpan ReplacementBackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReplacementBackoffCap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Up to this fraction of each delay is taken off at random, so that retries do not line up.</summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>
    /// The provisioner's name as the <c>provisioner</c> label of kaito_provisioning_phase_duration_seconds carries it;
    /// <c>kaito run</c> sets it from <c>NodeProvisioner:Kind</c>.
    /// </summary>
    public string Provisioner { get; set; } = "NodeClaim";
}
