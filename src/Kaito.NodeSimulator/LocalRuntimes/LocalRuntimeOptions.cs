namespace Kaito.NodeSimulator.LocalRuntimes;

/// <summary>
/// Serving inference pods for real: each inference pod on a simulated node gets a Kaito.Runtime process on a loopback
/// port (see <see cref="SimulatorAnnotations.LocalEndpoint"/>), and its status follows that process as a kubelet's
/// follows a container.
/// </summary>
public sealed class LocalRuntimeOptions
{
    /// <summary>The GenAI model folder every runtime serves (e.g. the tiny test model).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The runtime's executable and its first arguments, e.g. <c>["dotnet", "/path/Kaito.Runtime.dll"]</c>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>LoRA adapters the runtimes serve (one folder per adapter); <c>&lt;ModelDirectory&gt;/adapters</c> when null.</summary>
    public string? AdapterDirectory { get; init; }

    /// <summary>Where each runtime's output is appended, one <c>&lt;namespace&gt;_&lt;pod&gt;.log</c> per pod; not kept when null.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>
    /// Where the simulated kubelet keeps each pod's files, as a kubelet keeps them under <c>/var/lib/kubelet/pods</c>:
    /// the runtime's termination-message file is <c>&lt;StateDirectory&gt;/&lt;pod uid&gt;/&lt;container&gt;/termination-log</c>
    /// (removed with the pod). A folder of the simulator's own under the temp folder (removed when it stops) when null.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>The first restart back-off after a crash; it doubles per crash up to <see cref="MaxBackoff"/> (kubelet: 10 s, 5 min).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often <c>/healthz</c> is asked while a runtime starts.</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Extra environment for the runtimes (wins over the simulator's), e.g. <c>Runtime__DefaultMaxTokens</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
